import { paramsWgsl } from './params.wgsl';

/**
 * Composite: where a = alpha * keep > 0, out = t + (clamp(f, 0, 1) - t) * a * strength, packed with
 * pack4x8unorm (alpha byte kept) in place in the image buffer, and the pixel's byte in `touched`
 * set to 1. Pixels with a = 0 are not written.
 */
export const compositeWgsl = /* wgsl */ `
${paramsWgsl}
@group(0) @binding(1) var<storage, read> alpha: array<f32>;
@group(0) @binding(2) var<storage, read> solution: array<vec4f>;
@group(0) @binding(3) var<storage, read_write> image: array<u32>;
@group(0) @binding(4) var<storage, read_write> touched: array<atomic<u32>>;
@group(0) @binding(5) var<storage, read> keep: array<f32>;

@compute @workgroup_size(8, 8)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  if (id.x >= P.roi.z || id.y >= P.roi.w) {
    return;
  }
  let i = id.y * P.roi.z + id.x;
  let a = alpha[i] * keep[i];
  if (!(a > 0.0)) {
    return;
  }
  let p = imageIndex(id.x, id.y);
  let old = image[p];
  let t = unpack4x8unorm(old).rgb;
  let v = t + (clamp(solution[i].rgb, vec3f(0.0), vec3f(1.0)) - t) * a * P.strength;
  image[p] = (old & 0xff000000u) | (pack4x8unorm(vec4f(v, 0.0)) & 0x00ffffffu);
  atomicOr(&touched[p / 4u], 1u << ((p % 4u) * 8u));
}
`;
