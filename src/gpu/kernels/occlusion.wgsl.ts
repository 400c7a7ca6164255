import {
  CHROMA_EPS,
  LUMA_SLACK,
  MAD_SCALE,
  MAX_SKIN_POINTS,
  OCCLUDED_AT,
  OCCLUDED_FROM,
  SPREAD_FLOOR,
} from '../reference/occlusion';
import { paramsWgsl } from './params.wgsl';

/** The skin features of a pixel (reference: skinFeatures); reads `image`. */
export const featuresWgsl = /* wgsl */ `
const CHROMA_EPS = ${CHROMA_EPS};

/** Luma and rg chromaticity of the 3x3 mean around pixel p, clamped to the image. */
fn features(p: vec2i) -> vec3f {
  let last = vec2i(P.image) - 1;
  var sum = vec3f(0.0);
  for (var dy = -1; dy <= 1; dy++) {
    for (var dx = -1; dx <= 1; dx++) {
      let s = clamp(p + vec2i(dx, dy), vec2i(0), last);
      sum += unpack4x8unorm(image[u32(s.y) * P.image.x + u32(s.x)]).rgb;
    }
  }
  let c = sum / 9.0;
  let total = c.r + c.g + c.b + CHROMA_EPS;
  return vec3f(0.299 * c.r + 0.587 * c.g + 0.114 * c.b, c.r / total, c.g / total);
}
`;

/** How well a pixel's features match the skin model (reference: skinMatch); reads `skin`. */
export const skinMatchWgsl = /* wgsl */ `
fn skinMatch(f: vec3f) -> f32 {
  let d = (f - skin[0].xyz) / (skin[1].xyz * vec3f(${LUMA_SLACK}, 1.0, 1.0));
  return ramp(${OCCLUDED_AT - OCCLUDED_FROM}, ${OCCLUDED_AT} - length(d));
}
`;

/**
 * The face's skin model (reference: skinModel), one invocation: per feature, the lower median over
 * the skin points and the spread (MAD_SCALE x the median absolute deviation, floored). Writes
 * skin[0] = medians, skin[1] = spreads (w = 0); with P.toneRate < 1 (a tracked face) they are
 * mixed into what `skin` held (reference: smoothStats), so its occlusion mask does not flicker.
 */
export const skinWgsl = /* wgsl */ `
${paramsWgsl}
@group(0) @binding(1) var<storage, read> image: array<u32>;
@group(0) @binding(2) var<storage, read> polygons: array<vec2f>;
@group(0) @binding(3) var<storage, read_write> skin: array<vec4f>;

const MAX_SKIN_POINTS = ${MAX_SKIN_POINTS}u;
var<private> samples: array<vec3f, ${MAX_SKIN_POINTS}>;
var<private> values: array<f32, ${MAX_SKIN_POINTS}>;

${featuresWgsl}

fn lowerMedian(n: u32) -> f32 {
  let wanted = (n - 1u) / 2u;
  for (var i = 0u; i < n; i++) {
    var rank = 0u;
    for (var j = 0u; j < n; j++) {
      if (values[j] < values[i] || (values[j] == values[i] && j < i)) {
        rank++;
      }
    }
    if (rank == wanted) {
      return values[i];
    }
  }
  return values[0];
}

@compute @workgroup_size(1)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  if (id.x > 0u || id.y > 0u) {
    return;
  }
  let n = min(P.skin.y, MAX_SKIN_POINTS);
  var median = vec4f(0.0);
  var spread = vec4f(0.0);
  if (n > 0u) {
    let last = vec2i(P.image) - 1;
    for (var k = 0u; k < n; k++) {
      let point = polygons[P.skin.x + k];
      samples[k] = features(clamp(vec2i(floor(point)), vec2i(0), last));
    }
    let floors = vec3f(${SPREAD_FLOOR.join(', ')});
    for (var f = 0u; f < 3u; f++) {
      for (var k = 0u; k < n; k++) {
        values[k] = samples[k][f];
      }
      let m = lowerMedian(n);
      for (var k = 0u; k < n; k++) {
        values[k] = abs(samples[k][f] - m);
      }
      median[f] = m;
      spread[f] = max(${MAD_SCALE} * lowerMedian(n), floors[f]);
    }
  }
  if (P.toneRate < 1.0) {
    skin[0] += (median - skin[0]) * P.toneRate;
    skin[1] += (spread - skin[1]) * P.toneRate;
  } else {
    skin[0] = median;
    skin[1] = spread;
  }
}
`;
