import { MIN_BLUR_WEIGHT } from '../reference/colour';
import { paramsWgsl } from './params.wgsl';

/**
 * Colour stage, statistics on the grid (reference: colourCells with the weight alpha x keep; W is
 * the tone-matched warp, toneApplyWgsl's output): per
 * grid cell, the mean of [a, a*(T - W)] over its factor x factor ROI pixels, pixels past the ROI
 * counting as 0.
 */
export const colourCellsWgsl = /* wgsl */ `
${paramsWgsl}
@group(0) @binding(1) var<storage, read> warp: array<vec4f>;
@group(0) @binding(2) var<storage, read> image: array<u32>;
@group(0) @binding(3) var<storage, read> alpha: array<f32>;
@group(0) @binding(4) var<storage, read_write> cells: array<vec4f>;
@group(0) @binding(5) var<storage, read> keep: array<f32>;

@compute @workgroup_size(8, 8)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  let grid = P.colourGrid;
  if (id.x >= grid.y || id.y >= grid.z) {
    return;
  }
  let start = id.xy * grid.x;
  let end = min(start + grid.x, P.roi.zw);
  var sum = vec4f(0.0);
  for (var y = start.y; y < end.y; y++) {
    for (var x = start.x; x < end.x; x++) {
      let a = alpha[y * P.roi.z + x] * keep[y * P.roi.z + x];
      if (a > 0.0) {
        let t = unpack4x8unorm(image[imageIndex(x, y)]).rgb;
        sum += vec4f(a, a * (t - warp[y * P.roi.z + x].rgb));
      }
    }
  }
  cells[id.y * grid.y + id.x] = sum * (1.0 / f32(grid.x * grid.x));
}
`;

/**
 * Colour stage, one pass of the separable Gaussian on the grid (reference: colourBlur) along x
 * (axis 0) or y (axis 1): the sum of weights[|k|] times the cell k away, over the cells inside the
 * grid. `weights` holds taps 0..radius (gaussianWeights) and zeros after.
 */
export function colourBlurWgsl(axis: 0 | 1): string {
  const along = axis === 0 ? 'x' : 'y';
  return /* wgsl */ `
${paramsWgsl}
@group(0) @binding(1) var<storage, read> weights: array<f32>;
@group(0) @binding(2) var<storage, read> input: array<vec4f>;
@group(0) @binding(3) var<storage, read_write> output: array<vec4f>;

@compute @workgroup_size(8, 8)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  let size = P.colourGrid.yz;
  if (id.x >= size.x || id.y >= size.y) {
    return;
  }
  let radius = i32(P.colourGrid.w);
  let at = i32(id.${along});
  var cell = vec2i(id.xy);
  var sum = vec4f(0.0);
  for (var n = max(at - radius, 0); n <= min(at + radius, i32(size.${along}) - 1); n++) {
    cell.${along} = n;
    sum += weights[abs(n - at)] * input[cell.y * i32(size.x) + cell.x];
  }
  output[id.y * size.x + id.x] = sum;
}
`;
}

/**
 * Colour stage, the transfer (reference: colourGuide): [Sa, SD] read back bilinearly from the
 * blurred grid (along y, then x); where the warp covers the pixel, g = clamp(W + SD / Sa, 0, 1)
 * when Sa > MIN_BLUR_WEIGHT and W otherwise, then T + (g - T) * keep where keep < 1; the target
 * elsewhere (a unused = 0).
 */
export const colourApplyWgsl = /* wgsl */ `
${paramsWgsl}
@group(0) @binding(1) var<storage, read> warp: array<vec4f>;
@group(0) @binding(2) var<storage, read> image: array<u32>;
@group(0) @binding(3) var<storage, read> blurred: array<vec4f>;
@group(0) @binding(4) var<storage, read_write> guide: array<vec4f>;
@group(0) @binding(5) var<storage, read> keep: array<f32>;

const MIN_BLUR_WEIGHT = ${MIN_BLUR_WEIGHT};

fn cell(c: vec2i) -> vec4f {
  return blurred[c.y * i32(P.colourGrid.y) + c.x];
}

@compute @workgroup_size(8, 8)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  if (id.x >= P.roi.z || id.y >= P.roi.w) {
    return;
  }
  let w = warp[id.y * P.roi.z + id.x];
  let pixel = unpack4x8unorm(image[imageIndex(id.x, id.y)]).rgb;
  var g = pixel;
  if (w.a > 0.0) {
    let u = (vec2f(id.xy) + 0.5) / f32(P.colourGrid.x) - 0.5;
    let t = u - floor(u);
    let c0 = max(vec2i(floor(u)), vec2i(0));
    let c1 = min(vec2i(floor(u)) + 1, vec2i(P.colourGrid.yz) - 1);
    let left = cell(c0) + (cell(vec2i(c0.x, c1.y)) - cell(c0)) * t.y;
    let right = cell(vec2i(c1.x, c0.y)) + (cell(c1) - cell(vec2i(c1.x, c0.y))) * t.y;
    let s = left + (right - left) * t.x;
    g = w.rgb;
    if (s.x > MIN_BLUR_WEIGHT) {
      g = clamp(w.rgb + s.yzw / s.x, vec3f(0.0), vec3f(1.0));
    }
    let k = keep[id.y * P.roi.z + id.x];
    if (k < 1.0) {
      g = pixel + (g - pixel) * k;
    }
  }
  guide[id.y * P.roi.z + id.x] = vec4f(g, 0.0);
}
`;
