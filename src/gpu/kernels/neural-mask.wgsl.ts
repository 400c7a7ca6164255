import { gaussianWeights, MASK_BLUR_SIGMA, REGION_CLASS_COUNT } from '../reference/neural-mask';

/** Byte size of both mask kernels' uniforms (MaskUniform below). */
export const MASK_UNIFORM_BYTES = 16;

/** The source kernel's uniform: the map side, the mode (0 occlusion, 1 region), the region class bits. */
export function packMaskSourceUniform(side: number, mode: 'occlusion' | 'region', bits: number): ArrayBuffer {
  return Uint32Array.of(side, mode === 'region' ? 1 : 0, bits, 0).buffer;
}

/** The blur kernel's uniform: the map side, the axis (0 x, 1 y), and whether to apply the final mapping. */
export function packMaskBlurUniform(side: number, axis: 0 | 1, finish: boolean): ArrayBuffer {
  return Uint32Array.of(side, axis, finish ? 1 : 0, 0).buffer;
}

/**
 * The 0..1 map before the blur (reference: occlusionMaskReference / regionMaskReference in
 * reference/neural-mask.ts), one invocation per pixel: XSeg's value clamped to [0, 1], or 1 where
 * the first largest of BiSeNet's 19 logits is a chosen class.
 */
export const neuralMaskSourceWgsl = /* wgsl */ `
struct MaskUniform {
  side: u32,
  mode: u32,
  bits: u32,
  unused: u32,
}

@group(0) @binding(0) var<uniform> U: MaskUniform;
@group(0) @binding(1) var<storage, read> model: array<f32>;
@group(0) @binding(2) var<storage, read_write> base: array<f32>;

@compute @workgroup_size(8, 8)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  if (id.x >= U.side || id.y >= U.side) {
    return;
  }
  let o = id.y * U.side + id.x;
  if (U.mode == 0u) {
    base[o] = clamp(model[o], 0.0, 1.0);
    return;
  }
  let plane = U.side * U.side;
  var best = 0u;
  var top = model[o];
  for (var c = 1u; c < ${REGION_CLASS_COUNT}u; c++) {
    let v = model[c * plane + o];
    if (v > top) {
      best = c;
      top = v;
    }
  }
  base[o] = f32((U.bits >> best) & 1u);
}
`;

const weights = gaussianWeights(MASK_BLUR_SIGMA);

/**
 * One pass of the separable Gaussian (sigma 5, radius ceil(3 sigma), the reference's weights, border
 * replicated) along x or y; the second pass also maps the result by (clamp(b, 0.5, 1) - 0.5) * 2.
 */
export const neuralMaskBlurWgsl = /* wgsl */ `
struct MaskUniform {
  side: u32,
  axis: u32,
  finish: u32,
  unused: u32,
}

const WEIGHTS = array<f32, ${weights.length}>(${weights.join(', ')});

@group(0) @binding(0) var<uniform> U: MaskUniform;
@group(0) @binding(1) var<storage, read> unblurred: array<f32>;
@group(0) @binding(2) var<storage, read_write> blurred: array<f32>;

fn at(x: i32, y: i32) -> f32 {
  let last = i32(U.side) - 1;
  return unblurred[u32(clamp(y, 0, last)) * U.side + u32(clamp(x, 0, last))];
}

@compute @workgroup_size(8, 8)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  if (id.x >= U.side || id.y >= U.side) {
    return;
  }
  let p = vec2i(id.xy);
  let dir = select(vec2i(1, 0), vec2i(0, 1), U.axis == 1u);
  var sum = WEIGHTS[0] * at(p.x, p.y);
  for (var i = 1; i < ${weights.length}; i++) {
    let lo = p - i * dir;
    let hi = p + i * dir;
    sum += WEIGHTS[i] * (at(lo.x, lo.y) + at(hi.x, hi.y));
  }
  if (U.finish == 1u) {
    sum = (clamp(sum, 0.5, 1.0) - 0.5) * 2.0;
  }
  blurred[id.y * U.side + id.x] = sum;
}
`;
