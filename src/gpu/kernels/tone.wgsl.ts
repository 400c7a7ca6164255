import {
  MAX_GAIN,
  MIN_CHROMA_GAIN,
  MIN_GAIN,
  MIN_REGION_WEIGHT,
  MIN_SPREAD,
  TONE_FLOATS,
  TONE_REGIONS,
} from '../reference/tone';
import { paramsWgsl } from './params.wgsl';
import { polygonWgsl } from './polygon.wgsl';

/** Column segments per ROI row in the tone statistics' partial sums. */
export const TONE_SEGMENTS = 8;
/** vec4f per partial sum: REGION_FLOATS / 4 per region. */
const PARTIAL_VEC4S = TONE_FLOATS / 4;

/** A number as a WGSL float literal. */
const wgslFloat = (value: number) => value.toFixed(6);

/** sRGB <-> Oklab (reference: toOklab, fromOklab in reference/tone.ts). */
const oklabWgsl = /* wgsl */ `
fn toLinear(c: vec3f) -> vec3f {
  return select(pow((c + 0.055) / 1.055, vec3f(2.4)), c / 12.92, c <= vec3f(0.04045));
}

fn toSrgb(c: vec3f) -> vec3f {
  return select(1.055 * pow(c, vec3f(1.0 / 2.4)) - 0.055, 12.92 * c, c <= vec3f(0.0031308));
}

fn cbrt(x: f32) -> f32 {
  return select(0.0, pow(x, 1.0 / 3.0), x > 0.0);
}

fn toOklab(rgb: vec3f) -> vec3f {
  let c = toLinear(rgb);
  let l = cbrt(0.4122214708 * c.r + 0.5363325363 * c.g + 0.0514459929 * c.b);
  let m = cbrt(0.2119034982 * c.r + 0.6806995451 * c.g + 0.1073969566 * c.b);
  let s = cbrt(0.0883024619 * c.r + 0.2817188376 * c.g + 0.6299787005 * c.b);
  return vec3f(
    0.2104542553 * l + 0.793617785 * m - 0.0040720468 * s,
    1.9779984951 * l - 2.428592205 * m + 0.4505937099 * s,
    0.0259040371 * l + 0.7827717662 * m - 0.808675766 * s,
  );
}

fn fromOklab(lab: vec3f) -> vec3f {
  let l = pow3(lab.x + 0.3963377774 * lab.y + 0.2158037573 * lab.z);
  let m = pow3(lab.x - 0.1055613458 * lab.y - 0.0638541728 * lab.z);
  let s = pow3(lab.x - 0.0894841775 * lab.y - 1.291485548 * lab.z);
  let c = vec3f(
    4.0767416621 * l - 3.3077115913 * m + 0.2309699292 * s,
    -1.2684380046 * l + 2.6097574011 * m - 0.3413193965 * s,
    -0.0041960863 * l - 0.7034186147 * m + 1.707614701 * s,
  );
  return toSrgb(clamp(c, vec3f(0.0), vec3f(1.0)));
}

fn pow3(x: f32) -> f32 {
  return x * x * x;
}
`;

/**
 * Tone match, regions per ROI pixel (reference: toneRegions): membership of the skin, the lips and
 * the eye zones, and the statistics' weight alpha x keep.
 */
export const toneRegionsWgsl = /* wgsl */ `
${paramsWgsl}
@group(0) @binding(1) var<storage, read> polygons: array<vec2f>;
@group(0) @binding(2) var<storage, read> alpha: array<f32>;
@group(0) @binding(3) var<storage, read> keep: array<f32>;
@group(0) @binding(4) var<storage, read_write> regions: array<vec4f>;

${polygonWgsl}

fn member(p: vec2f, range: vec2<u32>) -> f32 {
  if (range.y < 3u) {
    return 0.0;
  }
  return ramp(P.protectPx, insideDistance(p, range) + P.protectPx * 0.5);
}

@compute @workgroup_size(8, 8)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  if (id.x >= P.roi.z || id.y >= P.roi.w) {
    return;
  }
  let i = id.y * P.roi.z + id.x;
  let w = alpha[i] * keep[i];
  let p = vec2f(P.roi.xy + id.xy) + 0.5;
  let lips = member(p, P.lips);
  let eyes = max(member(p, P.leftZone), member(p, P.rightZone));
  regions[i] = vec4f(1.0 - max(lips, eyes), lips, eyes, select(0.0, w, w > 0.0));
}
`;

/**
 * Tone match, partial statistics (reference: toneStats): thread (s, y) sums column segment s of ROI
 * row y into partial y * TONE_SEGMENTS + s, REGION_FLOATS per region.
 */
export const toneRowsWgsl = /* wgsl */ `
${paramsWgsl}
@group(0) @binding(1) var warp: texture_2d<f32>;
@group(0) @binding(2) var<storage, read> image: array<u32>;
@group(0) @binding(3) var<storage, read> regions: array<vec4f>;
@group(0) @binding(4) var<storage, read_write> partials: array<vec4f>;

${oklabWgsl}

@compute @workgroup_size(8, 8)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  if (id.x >= ${TONE_SEGMENTS}u || id.y >= P.roi.w) {
    return;
  }
  let span = (P.roi.z + ${TONE_SEGMENTS - 1}u) / ${TONE_SEGMENTS}u;
  var sums: array<vec4f, ${PARTIAL_VEC4S}>;
  for (var x = id.x * span; x < min((id.x + 1u) * span, P.roi.z); x++) {
    var region = regions[id.y * P.roi.z + x];
    if (!(region.w > 0.0)) {
      continue;
    }
    let source = toOklab(textureLoad(warp, vec2u(x, id.y), 0).rgb);
    let own = toOklab(unpack4x8unorm(image[imageIndex(x, id.y)]).rgb);
    for (var r = 0u; r < ${TONE_REGIONS}u; r++) {
      let weight = region.w * region[r];
      if (!(weight > 0.0)) {
        continue;
      }
      let at = r * 4u;
      sums[at] += vec4f(weight, weight * source);
      sums[at + 1u] += vec4f(weight * source * source, weight * own.x);
      sums[at + 2u] += vec4f(weight * own.yz, weight * own.x * own.x, weight * own.y * own.y);
      sums[at + 3u] += vec4f(weight * own.z * own.z, 0.0, 0.0, 0.0);
    }
  }
  let out = (id.y * ${TONE_SEGMENTS}u + id.x) * ${PARTIAL_VEC4S}u;
  for (var k = 0u; k < ${PARTIAL_VEC4S}u; k++) {
    partials[out + k] = sums[k];
  }
}
`;

/**
 * Tone match, the statistics (reference: toneStats, then smoothStats): thread k of one workgroup
 * sums float k over the partials; with P.toneRate < 1 the result is mixed into what `stats` held
 * (the face's track), else it replaces it.
 */
export const toneTotalsWgsl = /* wgsl */ `
${paramsWgsl}
@group(0) @binding(1) var<storage, read> partials: array<f32>;
@group(0) @binding(2) var<storage, read_write> stats: array<f32>;

@compute @workgroup_size(8, 8)
fn main(@builtin(local_invocation_index) k: u32) {
  if (k >= ${TONE_FLOATS}u) {
    return;
  }
  var total = 0.0;
  for (var n = 0u; n < P.roi.w * ${TONE_SEGMENTS}u; n++) {
    total += partials[n * ${TONE_FLOATS}u + k];
  }
  stats[k] = select(total, stats[k] + (total - stats[k]) * P.toneRate, P.toneRate < 1.0);
}
`;

/**
 * Tone match, the transfer per ROI pixel (reference: toneMaps, toneApply): where the warp covers
 * the pixel, its Oklab mapped by each region's gain and offset, blended by membership; the warp
 * elsewhere. Writes the matched warp (rgb, coverage) that the colour stage reads.
 */
export const toneApplyWgsl = /* wgsl */ `
${paramsWgsl}
@group(0) @binding(1) var warp: texture_2d<f32>;
@group(0) @binding(2) var<storage, read> regions: array<vec4f>;
@group(0) @binding(3) var<storage, read> stats: array<vec4f>;
@group(0) @binding(4) var<storage, read_write> matched: array<vec4f>;

${oklabWgsl}

/** Region r's match of Oklab value x: x * gain + offset per channel, identity when it is too small. */
fn mapRegion(r: u32, x: vec3f) -> vec3f {
  let s0 = stats[r * 4u];
  let s1 = stats[r * 4u + 1u];
  let s2 = stats[r * 4u + 2u];
  let s3 = stats[r * 4u + 3u];
  let weight = s0.x;
  if (!(weight >= ${wgslFloat(MIN_REGION_WEIGHT)})) {
    return x;
  }
  let meanW = s0.yzw / weight;
  let meanT = vec3f(s1.w, s2.xy) / weight;
  let spreadW = sqrt(max(s1.xyz / weight - meanW * meanW, vec3f(0.0)));
  let spreadT = sqrt(max(vec3f(s2.zw, s3.x) / weight - meanT * meanT, vec3f(0.0)));
  let gain = clamp((spreadT + ${wgslFloat(MIN_SPREAD)}) / (spreadW + ${wgslFloat(MIN_SPREAD)}), vec3f(${wgslFloat(MIN_GAIN)}, ${wgslFloat(MIN_CHROMA_GAIN)}, ${wgslFloat(MIN_CHROMA_GAIN)}), vec3f(${wgslFloat(MAX_GAIN)}));
  return meanT - meanW * gain + x * gain;
}

@compute @workgroup_size(8, 8)
fn main(@builtin(global_invocation_id) id: vec3<u32>) {
  if (id.x >= P.roi.z || id.y >= P.roi.w) {
    return;
  }
  let i = id.y * P.roi.z + id.x;
  let w = textureLoad(warp, id.xy, 0);
  var region = regions[i];
  let total = region.x + region.y + region.z;
  if (!(w.a > 0.0) || !(total > 0.0)) {
    matched[i] = w;
    return;
  }
  let lab = toOklab(w.rgb);
  var sum = vec3f(0.0);
  for (var r = 0u; r < ${TONE_REGIONS}u; r++) {
    sum += region[r] * mapRegion(r, lab);
  }
  matched[i] = vec4f(fromOklab(sum / total), w.a);
}
`;
