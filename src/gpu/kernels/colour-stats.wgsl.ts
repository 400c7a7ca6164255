import { MAX_STD_RATIO, MIN_STD_RATIO, STD_EPSILON } from '../reference/colour';
import { paramsWgsl } from './params.wgsl';

/** Workgroup size of both reductions, and the most workgroups the first pass uses (one partial each). */
export const STATS_WORKGROUP = 256;
export const STATS_MAX_GROUPS = 256;
/** Floats per partial sum: weight, sum w*s (3), w*s^2 (3), w*t (3), w*t^2 (3), padding (3). */
export const STATS_PARTIAL_FLOATS = 16;

/**
 * Colour statistics as a two-pass parallel reduction. "partial": each workgroup sums its share of
 * the ROI (grid-stride) into one partial. "finish": one workgroup sums the partials and writes the
 * transfer parameters [sourceMean, stdRatio, targetMean] (vec4f each, rgb used).
 */
export const colourStatsWgsl = /* wgsl */ `
${paramsWgsl}
@group(0) @binding(1) var warp: texture_2d<f32>;
@group(0) @binding(2) var<storage, read> image: array<u32>;
@group(0) @binding(3) var<storage, read> alpha: array<f32>;
@group(0) @binding(4) var<storage, read_write> partials: array<f32>;

const WORKGROUP = ${STATS_WORKGROUP}u;
const MAX_GROUPS = ${STATS_MAX_GROUPS}u;
const FLOATS = ${STATS_PARTIAL_FLOATS}u;
const STD_EPSILON = ${STD_EPSILON};
const MIN_RATIO = ${MIN_STD_RATIO.toFixed(1)};
const MAX_RATIO = ${MAX_STD_RATIO.toFixed(1)};

var<workgroup> sums: array<array<f32, 13>, WORKGROUP>;

fn groupCount() -> u32 {
  return min((P.roi.z * P.roi.w + WORKGROUP - 1u) / WORKGROUP, MAX_GROUPS);
}

/** Tree-sums sums[0..WORKGROUP) into sums[0]. */
fn reduce(local: u32) {
  workgroupBarrier();
  for (var stride = WORKGROUP / 2u; stride > 0u; stride = stride / 2u) {
    if (local < stride) {
      for (var k = 0u; k < 13u; k++) {
        sums[local][k] += sums[local + stride][k];
      }
    }
    workgroupBarrier();
  }
}

@compute @workgroup_size(WORKGROUP)
fn partial(@builtin(local_invocation_index) local: u32, @builtin(workgroup_id) group: vec3<u32>) {
  var v: array<f32, 13>;
  let n = P.roi.z * P.roi.w;
  for (var i = group.x * WORKGROUP + local; i < n; i += groupCount() * WORKGROUP) {
    let w = alpha[i];
    if (w > 0.0) {
      let x = i % P.roi.z;
      let y = i / P.roi.z;
      let s = textureLoad(warp, vec2u(x, y), 0).rgb;
      let t = unpack4x8unorm(image[imageIndex(x, y)]).rgb;
      v[0] += w;
      for (var c = 0u; c < 3u; c++) {
        v[1u + c] += w * s[c];
        v[4u + c] += w * s[c] * s[c];
        v[7u + c] += w * t[c];
        v[10u + c] += w * t[c] * t[c];
      }
    }
  }
  sums[local] = v;
  reduce(local);
  if (local == 0u) {
    for (var k = 0u; k < 13u; k++) {
      partials[group.x * FLOATS + k] = sums[0][k];
    }
  }
}

@group(0) @binding(5) var<storage, read_write> transfer: array<vec4f, 3>;

@compute @workgroup_size(WORKGROUP)
fn finish(@builtin(local_invocation_index) local: u32) {
  var v: array<f32, 13>;
  if (local < groupCount()) {
    for (var k = 0u; k < 13u; k++) {
      v[k] = partials[local * FLOATS + k];
    }
  }
  sums[local] = v;
  reduce(local);
  if (local != 0u) {
    return;
  }
  let s = sums[0];
  let weight = s[0];
  var sourceMean = vec3f(0.0);
  var ratio = vec3f(1.0);
  var targetMean = vec3f(0.0);
  if (weight > 0.0) {
    for (var c = 0u; c < 3u; c++) {
      let meanS = s[1u + c] / weight;
      let meanT = s[7u + c] / weight;
      let stdS = sqrt(max(s[4u + c] / weight - meanS * meanS, 0.0));
      let stdT = sqrt(max(s[10u + c] / weight - meanT * meanT, 0.0));
      sourceMean[c] = meanS;
      targetMean[c] = meanT;
      ratio[c] = clamp(stdT / max(stdS, STD_EPSILON), MIN_RATIO, MAX_RATIO);
    }
  }
  transfer[0] = vec4f(sourceMean, 0.0);
  transfer[1] = vec4f(ratio, 0.0);
  transfer[2] = vec4f(targetMean, 0.0);
}
`;
