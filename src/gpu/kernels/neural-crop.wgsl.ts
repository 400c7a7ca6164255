import { channelValues, type CropParams } from '../reference/neural-crop';

/** Byte size of the crop kernel's uniform (CropUniform below). */
export const CROP_UNIFORM_BYTES = 112;

/** Packs crop parameters and the frame size into the layout of CropUniform. */
export function packCropUniform(p: CropParams, width: number, height: number): ArrayBuffer {
  const buffer = new ArrayBuffer(CROP_UNIFORM_BYTES);
  const f32 = new Float32Array(buffer);
  const u32 = new Uint32Array(buffer);
  const [a, b, c, d, e, f] = p.toImage;
  f32.set([a, b, c, 0, d, e, f, 0, ...channelValues(p.scale), 0, ...channelValues(p.offset), 0], 0);
  u32.set(
    [
      width,
      height,
      p.phaseX,
      p.phaseY,
      p.size,
      p.step,
      p.border === 'zero' ? 1 : 0,
      p.layout === 'nhwc' ? 1 : 0,
      p.bgr ? 1 : 0,
    ],
    16,
  );
  return buffer;
}

/**
 * Crop / normalise (reference: cropReference in reference/neural-crop.ts). One invocation per output
 * pixel: the crop-grid point (x*step + phaseX, y*step + phaseY) is mapped into the frame, sampled
 * bilinearly with OpenCV's pixel centres (integers), optionally swapped to BGR, and written as
 * scale_c * byte + offset_c into the planar (NCHW) or interleaved (NHWC) tensor. Bytes are taken from
 * the packed pixel by shifts, not unpack4x8unorm, so the 0..255 values are exact. The coordinate is
 * clamped to a pixel beyond the edge before the integer conversion; that changes no tap in either
 * border mode and keeps huge coordinates finite.
 */
export const neuralCropWgsl = /* wgsl */ `
struct CropUniform {
  toImage0: vec4f, // a, b, c, unused
  toImage1: vec4f, // d, e, f, unused
  scale: vec4f,    // per tensor channel, w unused
  offset: vec4f,   // per tensor channel, w unused
  frame: vec2<u32>,
  phase: vec2<u32>,
  size: u32,
  step: u32,
  zeroBorder: u32,
  nhwc: u32,
  bgr: u32,
}

@group(0) @binding(0) var<uniform> U: CropUniform;
@group(0) @binding(1) var<storage, read> image: array<u32>;
@group(0) @binding(2) var<storage, read_write> tensor: array<f32>;

fn tap(x: i32, y: i32, weight: f32) -> vec3f {
  let last = vec2i(U.frame) - 1;
  if (U.zeroBorder == 1u && (x < 0 || y < 0 || x > last.x || y > last.y)) {
    return vec3f(0.0);
  }
  let p = image[u32(clamp(y, 0, last.y)) * U.frame.x + u32(clamp(x, 0, last.x))];
  return weight * vec3f(f32(p & 0xffu), f32((p >> 8u) & 0xffu), f32((p >> 16u) & 0xffu));
}

@compute @workgroup_size(8, 8)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  if (id.x >= U.size || id.y >= U.size) {
    return;
  }
  let grid = vec3f(vec2f(id.xy * U.step + U.phase), 1.0);
  let limit = vec2f(U.frame) + 1.0;
  let at = clamp(vec2f(dot(U.toImage0.xyz, grid), dot(U.toImage1.xyz, grid)), vec2f(-2.0), limit);
  let origin = floor(at);
  let f = at - origin;
  let p0 = vec2i(origin);
  let rgb = tap(p0.x, p0.y, (1.0 - f.x) * (1.0 - f.y)) + tap(p0.x + 1, p0.y, f.x * (1.0 - f.y))
    + tap(p0.x, p0.y + 1, (1.0 - f.x) * f.y) + tap(p0.x + 1, p0.y + 1, f.x * f.y);
  let value = select(rgb, rgb.bgr, U.bgr == 1u) * U.scale.xyz + U.offset.xyz;
  let o = id.y * U.size + id.x;
  if (U.nhwc == 1u) {
    tensor[3u * o] = value.x;
    tensor[3u * o + 1u] = value.y;
    tensor[3u * o + 2u] = value.z;
  } else {
    let plane = U.size * U.size;
    tensor[o] = value.x;
    tensor[plane + o] = value.y;
    tensor[2u * plane + o] = value.z;
  }
}
`;
