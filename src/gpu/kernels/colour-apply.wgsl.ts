import { paramsWgsl } from './params.wgsl';

/**
 * Colour transfer: the Poisson guide per ROI pixel = clamp((warped - sourceMean) * ratio +
 * targetMean, 0, 1) where the warp covers the pixel, the target elsewhere (a unused = 0).
 */
export const colourApplyWgsl = /* wgsl */ `
${paramsWgsl}
@group(0) @binding(1) var warp: texture_2d<f32>;
@group(0) @binding(2) var<storage, read> image: array<u32>;
@group(0) @binding(3) var<storage, read> transfer: array<vec4f, 3>;
@group(0) @binding(4) var<storage, read_write> guide: array<vec4f>;

@compute @workgroup_size(8, 8)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  if (id.x >= P.roi.z || id.y >= P.roi.w) {
    return;
  }
  let w = textureLoad(warp, id.xy, 0);
  var g = unpack4x8unorm(image[imageIndex(id.x, id.y)]).rgb;
  if (w.a > 0.0) {
    g = clamp((w.rgb - transfer[0].rgb) * transfer[1].rgb + transfer[2].rgb, vec3f(0.0), vec3f(1.0));
  }
  guide[id.y * P.roi.z + id.x] = vec4f(g, 0.0);
}
`;
