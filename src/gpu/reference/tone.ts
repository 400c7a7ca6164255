import type { FaceGeometry, PolygonRange } from '../face-geometry';
import type { RgbaImage } from '../types';
import { grownBox, ramp, signedInsideDistance } from './polygon';

/**
 * The tone match: before the low-band transfer, the warped source's colour statistics are matched to
 * the target's per region of the face (skin, lips, the eye-and-brow zones) in Oklab, a perceptual
 * colour space where lightness and the two opponent chroma axes are nearly independent: per region
 * and channel, x' = mean_T + (x - mean_W) * gain, the gain the ratio of the spreads clamped to
 * [MIN_GAIN, MAX_GAIN] (MIN_CHROMA_GAIN for the chroma channels). The statistics weigh each pixel by alpha x keep, so the kept eyes and mouth and the occluders (hair,
 * glasses, hands) colour nothing.
 */

/** Regions: 0 skin (what is neither of the others), 1 lips, 2 the eye-and-brow zones. */
export const TONE_REGIONS = 3;
/**
 * Floats per region in the statistics: the weight, the weighted sums of the warp's Oklab and of its
 * squares, of the target's Oklab and of its squares, and 3 of padding (4 vec4f on the GPU).
 */
export const REGION_FLOATS = 16;
export const TONE_FLOATS = TONE_REGIONS * REGION_FLOATS;
/** Offsets inside a region's floats. */
const WEIGHT = 0;
const WARP_SUM = 1;
const WARP_SQUARES = 4;
const TARGET_SUM = 7;
const TARGET_SQUARES = 10;
/** How far the spread of a channel may be scaled: a region of flat colour is not blown up. */
export const MIN_GAIN = 2 / 3;
export const MAX_GAIN = 1.5;
/**
 * The least gain of the two chroma channels (a, b): lower than lightness's, so a source lit by mixed
 * colours (a warm lamp on one cheek, a blue screen on the nose) takes the target's calmer chroma
 * instead of pasting its light's colours on the target as blue and orange patches; its lightness
 * detail, where the identity lies, keeps MIN_GAIN.
 */
export const MIN_CHROMA_GAIN = 0.25;
/** Least summed weight (pixels) a region needs to be matched; a region with less keeps its colours. */
export const MIN_REGION_WEIGHT = 16;
/** Added to both spreads in a channel's gain, so two flat channels keep a gain of 1. */
export const MIN_SPREAD = 1e-4;

export function srgbToLinear(c: number): number {
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

export function linearToSrgb(c: number): number {
  return c <= 0.0031308 ? 12.92 * c : 1.055 * c ** (1 / 2.4) - 0.055;
}

/** srgbToLinear of each byte value / 255. */
const BYTE_LINEAR = Float64Array.from({ length: 256 }, (_, v) => srgbToLinear(v / 255));

/**
 * The per-pixel transfer curves tabulated (TABLE + 1 points, read linearly: within 1e-7 of the
 * formulas): srgbToLinear over 0..1, and linearToSrgb over the square root of 0..1, where its
 * steep start is spread out.
 */
const TABLE = 4096;
const LINEAR_TABLE = Float64Array.from({ length: TABLE + 1 }, (_, k) => srgbToLinear(k / TABLE));
const SRGB_TABLE = Float64Array.from({ length: TABLE + 1 }, (_, k) => linearToSrgb((k / TABLE) ** 2));

function lookup(table: Float64Array, u: number): number {
  const x = Math.min(Math.max(u, 0), 1) * TABLE;
  const k = Math.min(Math.floor(x), TABLE - 1);
  return table[k]! + (table[k + 1]! - table[k]!) * (x - k);
}

/** Oklab of linear r, g, b (Björn Ottosson's matrices), written at out[at..at + 2]. */
function linearToOklab(lr: number, lg: number, lb: number, out: Float64Array, at: number): void {
  const l = Math.cbrt(Math.max(0.4122214708 * lr + 0.5363325363 * lg + 0.0514459929 * lb, 0));
  const m = Math.cbrt(Math.max(0.2119034982 * lr + 0.6806995451 * lg + 0.1073969566 * lb, 0));
  const s = Math.cbrt(Math.max(0.0883024619 * lr + 0.2817188376 * lg + 0.6299787005 * lb, 0));
  out[at] = 0.2104542553 * l + 0.793617785 * m - 0.0040720468 * s;
  out[at + 1] = 1.9779984951 * l - 2.428592205 * m + 0.4505937099 * s;
  out[at + 2] = 0.0259040371 * l + 0.7827717662 * m - 0.808675766 * s;
}

/** sRGB-encoded r, g, b in 0..1 to Oklab. */
export function toOklab(r: number, g: number, b: number): [number, number, number] {
  const out = new Float64Array(3);
  linearToOklab(srgbToLinear(r), srgbToLinear(g), srgbToLinear(b), out, 0);
  return [out[0]!, out[1]!, out[2]!];
}

/** A linear value clamped to 0..1, sRGB-encoded (tabulated). */
const encode = (c: number) => lookup(SRGB_TABLE, Math.sqrt(Math.min(Math.max(c, 0), 1)));

/** Oklab to sRGB-encoded r, g, b, each clamped to 0..1, written at out[at..at + 2]. */
function oklabToSrgb(L: number, a: number, b: number, out: Float32Array, at: number): void {
  const l_ = L + 0.3963377774 * a + 0.2158037573 * b;
  const m_ = L - 0.1055613458 * a - 0.0638541728 * b;
  const s_ = L - 0.0894841775 * a - 1.291485548 * b;
  const [l, m, s] = [l_ * l_ * l_, m_ * m_ * m_, s_ * s_ * s_];
  out[at] = encode(4.0767416621 * l - 3.3077115913 * m + 0.2309699292 * s);
  out[at + 1] = encode(-1.2684380046 * l + 2.6097574011 * m - 0.3413193965 * s);
  out[at + 2] = encode(-0.0041960863 * l - 0.7034186147 * m + 1.707614701 * s);
}

/** Oklab to sRGB-encoded r, g, b, each clamped to 0..1. */
export function fromOklab(L: number, a: number, b: number): [number, number, number] {
  const out = new Float32Array(3);
  oklabToSrgb(L, a, b, out, 0);
  return [out[0]!, out[1]!, out[2]!];
}

/** Oklab of every covered warp pixel (3 floats per ROI pixel; uncovered ones are not written). */
export function warpOklab(warp: Float32Array, out: Float64Array = new Float64Array((warp.length / 4) * 3)) {
  for (let i = 0; i * 4 < warp.length; i++) {
    if (!(warp[i * 4 + 3]! > 0)) continue;
    const r = lookup(LINEAR_TABLE, warp[i * 4]!);
    const g = lookup(LINEAR_TABLE, warp[i * 4 + 1]!);
    linearToOklab(r, g, lookup(LINEAR_TABLE, warp[i * 4 + 2]!), out, i * 3);
  }
  return out;
}

/**
 * Per ROI pixel: how much it belongs to each region (skin, lips, eyes) and its weight in the
 * statistics, alpha x keep (4 floats). A pixel is half in the lips or an eye zone on its outline,
 * wholly protectPx / 2 inside, and skin is the rest, so the regions' colours meet without a seam.
 * Every pixel has its regions, also outside the blend domain, so the matched warp has no edge there.
 */
export function toneRegions(
  geometry: FaceGeometry,
  alpha: Float32Array,
  keep: Float32Array,
  out: Float32Array = new Float32Array(alpha.length * 4),
): Float32Array {
  const { roi, polygons, protectPx } = geometry;
  // Farther than protectPx / 2 outside a polygon a pixel is not in its region: outside its box grown
  // by that much, no distance need be computed.
  const zone = (range: PolygonRange) => ({
    range,
    box: grownBox(polygons, range.start, range.count, protectPx / 2),
  });
  const [lips, left, right] = [geometry.lips, geometry.leftZone, geometry.rightZone].map(zone) as [
    ReturnType<typeof zone>,
    ReturnType<typeof zone>,
    ReturnType<typeof zone>,
  ];
  const member = (px: number, py: number, { range, box }: ReturnType<typeof zone>) =>
    range.count >= 3 && px > box[0]! && py > box[1]! && px < box[2]! && py < box[3]!
      ? ramp(protectPx, signedInsideDistance(px, py, polygons, range.start, range.count) + protectPx / 2)
      : 0;
  for (let y = 0; y < roi.height; y++) {
    const py = roi.y + y + 0.5;
    for (let x = 0; x < roi.width; x++) {
      const i = y * roi.width + x;
      const w = Math.fround(alpha[i]! * keep[i]!);
      const px = roi.x + x + 0.5;
      const inLips = member(px, py, lips);
      const inEyes = Math.max(member(px, py, left), member(px, py, right));
      out[i * 4] = 1 - Math.max(inLips, inEyes);
      out[i * 4 + 1] = inLips;
      out[i * 4 + 2] = inEyes;
      out[i * 4 + 3] = w > 0 ? w : 0;
    }
  }
  return out;
}

/**
 * The regions' statistics: per region, the summed weight (membership x alpha x keep), and the
 * weighted sums of the warp's and the target's Oklab and of their squares (TONE_FLOATS floats).
 */
export function toneStats(
  warp: Float32Array,
  target: RgbaImage,
  roi: FaceGeometry['roi'],
  regions: Float32Array,
  lab: Float64Array = warpOklab(warp),
): Float64Array {
  const stats = new Float64Array(TONE_FLOATS);
  const own = new Float64Array(3);
  for (let y = 0; y < roi.height; y++) {
    for (let x = 0; x < roi.width; x++) {
      const i = y * roi.width + x;
      const w = regions[i * 4 + 3]!;
      if (!(w > 0)) continue;
      const t = ((roi.y + y) * target.width + roi.x + x) * 4;
      const { data } = target;
      linearToOklab(BYTE_LINEAR[data[t]!]!, BYTE_LINEAR[data[t + 1]!]!, BYTE_LINEAR[data[t + 2]!]!, own, 0);
      for (let r = 0; r < TONE_REGIONS; r++) {
        const weight = w * regions[i * 4 + r]!;
        if (!(weight > 0)) continue;
        const base = r * REGION_FLOATS;
        stats[base + WEIGHT]! += weight;
        for (let c = 0; c < 3; c++) {
          const source = lab[i * 3 + c]!;
          stats[base + WARP_SUM + c]! += weight * source;
          stats[base + WARP_SQUARES + c]! += weight * source * source;
          stats[base + TARGET_SUM + c]! += weight * own[c]!;
          stats[base + TARGET_SQUARES + c]! += weight * own[c]! * own[c]!;
        }
      }
    }
  }
  return stats;
}

/**
 * Per region and Oklab channel, the match x' = offset + x * gain, as [gain, offset] pairs (6 floats
 * per region); identity where the region's weight is under MIN_REGION_WEIGHT.
 */
export function toneMaps(stats: ArrayLike<number>): Float64Array {
  const maps = new Float64Array(TONE_REGIONS * 6);
  for (let r = 0; r < TONE_REGIONS; r++) {
    const base = r * REGION_FLOATS;
    const weight = stats[base + WEIGHT]!;
    for (let c = 0; c < 3; c++) {
      if (!(weight >= MIN_REGION_WEIGHT)) {
        maps.set([1, 0], r * 6 + c * 2);
        continue;
      }
      const meanW = stats[base + WARP_SUM + c]! / weight;
      const meanT = stats[base + TARGET_SUM + c]! / weight;
      const spreadW = Math.sqrt(Math.max(stats[base + WARP_SQUARES + c]! / weight - meanW * meanW, 0));
      const spreadT = Math.sqrt(Math.max(stats[base + TARGET_SQUARES + c]! / weight - meanT * meanT, 0));
      const gain = Math.min(
        Math.max((spreadT + MIN_SPREAD) / (spreadW + MIN_SPREAD), c === 0 ? MIN_GAIN : MIN_CHROMA_GAIN),
        MAX_GAIN,
      );
      maps.set([gain, meanT - meanW * gain], r * 6 + c * 2);
    }
  }
  return maps;
}

/**
 * The warp with each covered pixel's colour matched (toneMaps, blended by the pixel's region
 * membership), as RGBA float32 with the warp's coverage in a; uncovered pixels as they were.
 */
export function toneApply(
  warp: Float32Array,
  regions: Float32Array,
  stats: ArrayLike<number>,
  out: Float32Array = new Float32Array(warp.length),
  lab: Float64Array = warpOklab(warp),
): Float32Array {
  const maps = toneMaps(stats);
  for (let i = 0; i * 4 < warp.length; i++) {
    const coverage = warp[i * 4 + 3]!;
    const total = regions[i * 4]! + regions[i * 4 + 1]! + regions[i * 4 + 2]!;
    if (!(coverage > 0) || !(total > 0)) {
      for (let c = 0; c < 4; c++) out[i * 4 + c] = warp[i * 4 + c]!;
      continue;
    }
    const L = lab[i * 3]!;
    const a = lab[i * 3 + 1]!;
    const b = lab[i * 3 + 2]!;
    let mL = 0;
    let ma = 0;
    let mb = 0;
    for (let r = 0; r < TONE_REGIONS; r++) {
      const m = regions[i * 4 + r]!;
      if (m === 0) continue;
      const map = r * 6;
      mL += m * (maps[map + 1]! + L * maps[map]!);
      ma += m * (maps[map + 3]! + a * maps[map + 2]!);
      mb += m * (maps[map + 5]! + b * maps[map + 4]!);
    }
    oklabToSrgb(mL / total, ma / total, mb / total, out, i * 4);
    out[i * 4 + 3] = coverage;
  }
  return out;
}

/**
 * A face's smoothed statistics: `rate` of the new ones and 1 - rate of the previous (an exponential
 * filter over the frames of a tracked face); the new ones alone when rate >= 1 or there are none.
 */
export function smoothStats(
  previous: Float64Array | undefined,
  stats: Float64Array,
  rate: number,
): Float64Array {
  if (!previous || rate >= 1) return stats.slice();
  return stats.map((v, k) => previous[k]! + (v - previous[k]!) * rate);
}

/** The tone match of a face's warp (toneRegions, toneStats, toneApply) with the statistics used. */
export function toneMatch(
  warp: Float32Array,
  target: RgbaImage,
  geometry: FaceGeometry,
  alpha: Float32Array,
  keep: Float32Array,
  smooth: (stats: Float64Array) => Float64Array = (stats) => stats,
): { matched: Float32Array; stats: Float64Array } {
  const regions = toneRegions(geometry, alpha, keep);
  const lab = warpOklab(warp);
  const stats = smooth(toneStats(warp, target, geometry.roi, regions, lab));
  return { matched: toneApply(warp, regions, stats, undefined, lab), stats };
}
