import { MIN_ALPHA } from '../reference/mask';
import { featuresWgsl, skinMatchWgsl } from './occlusion.wgsl';
import { paramsWgsl } from './params.wgsl';
import { polygonWgsl } from './polygon.wgsl';

/**
 * Mask, per ROI pixel (references: faceMask, faceKeep). alpha, the blend domain: coverage *
 * ramp(featherPx, inside-distance to the oval), 0 below MIN_ALPHA. keep: ramp(featherPx / 2,
 * outside-distance) for each kept mouth/eye/hand polygon, times, when the occlusion test is on, the skin
 * match of the image's pixel, shielded near the lips and eye zones; 0 below MIN_ALPHA.
 */
export const maskWgsl = /* wgsl */ `
${paramsWgsl}
@group(0) @binding(1) var warp: texture_2d<f32>;
@group(0) @binding(2) var<storage, read> polygons: array<vec2f>;
@group(0) @binding(3) var<storage, read_write> alpha: array<f32>;
@group(0) @binding(4) var<storage, read> image: array<u32>;
@group(0) @binding(5) var<storage, read> skin: array<vec4f>;
@group(0) @binding(6) var<storage, read_write> keep: array<f32>;

const MIN_ALPHA = ${MIN_ALPHA};

${polygonWgsl}
${featuresWgsl}
${skinMatchWgsl}

fn cutOut(a: f32, p: vec2f, range: vec2<u32>) -> f32 {
  if (range.y < 3u || a <= 0.0) {
    return a;
  }
  return a * ramp(P.featherPx * 0.5, -insideDistance(p, range));
}

fn shield(s: f32, p: vec2f, range: vec2<u32>) -> f32 {
  if (range.y < 3u) {
    return s;
  }
  return max(s, ramp(P.protectPx, insideDistance(p, range) + P.protectPx));
}

@compute @workgroup_size(8, 8)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  if (id.x >= P.roi.z || id.y >= P.roi.w) {
    return;
  }
  let i = id.y * P.roi.z + id.x;
  let p = vec2f(P.roi.xy + id.xy) + 0.5;
  let coverage = textureLoad(warp, id.xy, 0).a;
  var a = 0.0;
  if (coverage > 0.0) {
    a = coverage * ramp(P.featherPx, insideDistance(p, P.oval));
  }
  alpha[i] = select(0.0, a, a >= MIN_ALPHA);
  var k = cutOut(1.0, p, P.mouth);
  k = cutOut(k, p, P.leftEye);
  k = cutOut(k, p, P.rightEye);
  k = cutOut(k, p, P.hand0);
  k = cutOut(k, p, P.hand1);
  if (P.occlusion > 0.0 && k > 0.0) {
    let s = shield(shield(shield(0.0, p, P.lips), p, P.leftZone), p, P.rightZone);
    let m = skinMatch(features(vec2i(P.roi.xy + id.xy)));
    k *= m + (1.0 - m) * s;
  }
  keep[i] = select(0.0, k, k >= MIN_ALPHA);
}
`;
