import { MIN_BLUR_WEIGHT } from '../reference/colour';
import { paramsWgsl } from './params.wgsl';

/**
 * Colour stage, horizontal pass (reference: colourRows): per ROI pixel, the row-wise Gaussian sum of
 * [a, a*W.rgb] and [a*T.rgb, 0] (two vec4f) over the taps inside the ROI. `weights` holds taps
 * 0..radius (gaussianWeights); zero padding past the radius adds nothing.
 */
export const colourRowsWgsl = /* wgsl */ `
${paramsWgsl}
@group(0) @binding(1) var warp: texture_2d<f32>;
@group(0) @binding(2) var<storage, read> image: array<u32>;
@group(0) @binding(3) var<storage, read> alpha: array<f32>;
@group(0) @binding(4) var<storage, read> weights: array<f32>;
@group(0) @binding(5) var<storage, read_write> rows: array<vec4f>;

@compute @workgroup_size(8, 8)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  if (id.x >= P.roi.z || id.y >= P.roi.w) {
    return;
  }
  let radius = i32(arrayLength(&weights)) - 1;
  let x0 = u32(max(i32(id.x) - radius, 0));
  let x1 = u32(min(i32(id.x) + radius, i32(P.roi.z) - 1));
  var s0 = vec4f(0.0);
  var s1 = vec4f(0.0);
  for (var x = x0; x <= x1; x++) {
    let a = alpha[id.y * P.roi.z + x];
    if (a > 0.0) {
      let wa = weights[select(id.x - x, x - id.x, x >= id.x)] * a;
      s0 += wa * vec4f(1.0, textureLoad(warp, vec2u(x, id.y), 0).rgb);
      s1 += wa * vec4f(unpack4x8unorm(image[imageIndex(x, id.y)]).rgb, 0.0);
    }
  }
  let i = 2u * (id.y * P.roi.z + id.x);
  rows[i] = s0;
  rows[i + 1u] = s1;
}
`;

/**
 * Colour stage, vertical pass and transfer (reference: colourGuide): sums the rows' columns with
 * the same Gaussian into Sa, SW, ST; the guide is clamp(W + (ST - SW) / Sa, 0, 1) where the warp
 * covers the pixel and Sa > MIN_BLUR_WEIGHT, W where it covers and Sa is smaller, the target
 * elsewhere (a unused = 0).
 */
export const colourApplyWgsl = /* wgsl */ `
${paramsWgsl}
@group(0) @binding(1) var warp: texture_2d<f32>;
@group(0) @binding(2) var<storage, read> image: array<u32>;
@group(0) @binding(3) var<storage, read> weights: array<f32>;
@group(0) @binding(4) var<storage, read> rows: array<vec4f>;
@group(0) @binding(5) var<storage, read_write> guide: array<vec4f>;

const MIN_BLUR_WEIGHT = ${MIN_BLUR_WEIGHT};

@compute @workgroup_size(8, 8)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  if (id.x >= P.roi.z || id.y >= P.roi.w) {
    return;
  }
  let w = textureLoad(warp, id.xy, 0);
  var g = unpack4x8unorm(image[imageIndex(id.x, id.y)]).rgb;
  if (w.a > 0.0) {
    let radius = i32(arrayLength(&weights)) - 1;
    let y0 = u32(max(i32(id.y) - radius, 0));
    let y1 = u32(min(i32(id.y) + radius, i32(P.roi.w) - 1));
    var s0 = vec4f(0.0);
    var s1 = vec4f(0.0);
    for (var y = y0; y <= y1; y++) {
      let k = weights[select(id.y - y, y - id.y, y >= id.y)];
      let i = 2u * (y * P.roi.z + id.x);
      s0 += k * rows[i];
      s1 += k * rows[i + 1u];
    }
    g = w.rgb;
    if (s0.x > MIN_BLUR_WEIGHT) {
      g = clamp(w.rgb + (s1.rgb - s0.yzw) / s0.x, vec3f(0.0), vec3f(1.0));
    }
  }
  guide[id.y * P.roi.z + id.x] = vec4f(g, 0.0);
}
`;
