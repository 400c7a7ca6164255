import type { FaceGeometry, PolygonRange } from '../face-geometry';
import type { RgbaImage } from '../types';
import { MIN_ALPHA } from './mask';
import { grownBox, ramp, signedInsideDistance } from './polygon';

/**
 * The occlusion test: a target pixel inside the face whose colour is far from the face's own skin
 * (hair, glasses, a hand in a glove, an object) keeps the target. Colours are compared as
 * [luma, r / (r + g + b + CHROMA_EPS), g / (r + g + b + CHROMA_EPS)] of the 3x3 mean around a pixel,
 * so shading changes luma more than chromaticity; luma counts LUMA_SLACK times less.
 */
export const CHROMA_EPS = 0.03;
export const LUMA_SLACK = 2.5;
/** The least spread the skin model allows per feature (luma, r, g chromaticity). */
export const SPREAD_FLOOR = [0.06, 0.012, 0.012] as const;
/** MAD to standard deviation for a normal distribution. */
export const MAD_SCALE = 1.4826;
/** Distances (in spreads) below OCCLUDED_FROM are skin, above OCCLUDED_AT occluders; smooth between. */
export const OCCLUDED_FROM = 3.5;
export const OCCLUDED_AT = 5.5;
/** Most skin sample points a face has (the WGSL kernel's array size). */
export const MAX_SKIN_POINTS = 32;
/** The skin model: median luma, r, g chromaticity, 0, then their spreads, 0. */
export const SKIN_FLOATS = 8;

/** Mean rgb in 0..1 of the 3x3 pixels around pixel (x, y), clamped to the image. */
function mean3x3(image: RgbaImage, x: number, y: number): [number, number, number] {
  const sum = [0, 0, 0];
  for (let dy = -1; dy <= 1; dy++) {
    const sy = Math.min(Math.max(y + dy, 0), image.height - 1);
    for (let dx = -1; dx <= 1; dx++) {
      const sx = Math.min(Math.max(x + dx, 0), image.width - 1);
      const p = (sy * image.width + sx) * 4;
      for (let c = 0; c < 3; c++) sum[c]! += image.data[p + c]! / 255;
    }
  }
  return [sum[0]! / 9, sum[1]! / 9, sum[2]! / 9];
}

/** Luma and rg chromaticity of the 3x3 mean around pixel (x, y). */
export function skinFeatures(image: RgbaImage, x: number, y: number): [number, number, number] {
  const [r, g, b] = mean3x3(image, x, y);
  const total = r + g + b + CHROMA_EPS;
  return [0.299 * r + 0.587 * g + 0.114 * b, r / total, g / total];
}

/** The lower median: the value of rank floor((n - 1) / 2), ties broken by position. */
function lowerMedian(values: number[]): number {
  const wanted = Math.floor((values.length - 1) / 2);
  for (const [i, v] of values.entries()) {
    let rank = 0;
    for (const [j, w] of values.entries()) if (w < v || (w === v && j < i)) rank++;
    if (rank === wanted) return v;
  }
  return values[0]!;
}

/**
 * The face's skin: per feature, the median over the skin points (each the 3x3 mean around the
 * pixel holding it) and the spread, MAD_SCALE x the median absolute deviation, at least SPREAD_FLOOR.
 * Robust to fewer than half of the points being covered.
 */
export function skinModel(image: RgbaImage, geometry: FaceGeometry): Float32Array {
  const model = new Float32Array(SKIN_FLOATS);
  const { start, count } = geometry.skin;
  if (count === 0) return model;
  const samples: [number, number, number][] = [];
  for (let k = start; k < start + Math.min(count, MAX_SKIN_POINTS); k++) {
    const x = Math.min(Math.max(Math.floor(geometry.polygons[k * 2]!), 0), image.width - 1);
    const y = Math.min(Math.max(Math.floor(geometry.polygons[k * 2 + 1]!), 0), image.height - 1);
    samples.push(skinFeatures(image, x, y));
  }
  for (let f = 0; f < 3; f++) {
    const median = lowerMedian(samples.map((s) => s[f]!));
    const mad = lowerMedian(samples.map((s) => Math.abs(s[f]! - median)));
    model[f] = median;
    model[4 + f] = Math.max(MAD_SCALE * mad, SPREAD_FLOOR[f]!);
  }
  return model;
}

/** 1 where the pixel's features match the skin model, 0 where they are OCCLUDED_AT spreads away. */
export function skinMatch(features: readonly number[], model: Float32Array): number {
  const dl = (features[0]! - model[0]!) / (LUMA_SLACK * model[4]!);
  const dr = (features[1]! - model[1]!) / model[5]!;
  const dg = (features[2]! - model[2]!) / model[6]!;
  const distance = Math.sqrt(dl * dl + dr * dr + dg * dg);
  return ramp(OCCLUDED_AT - OCCLUDED_FROM, OCCLUDED_AT - distance);
}

/**
 * What of the swap each ROI pixel keeps, 0..1 (the blend weight is alpha x keep): 0 in the kept
 * mouth, eye and hand holes (feathered outwards by featherPx / 2), times, when geometry.occlusion, the
 * skin match of the image's pixel, which counts less near the lips and eye zones (fully off inside
 * them, fully on protectPx outside). Values below MIN_ALPHA are 0.
 */
export function faceKeep(image: RgbaImage, geometry: FaceGeometry, skin: Float32Array): Float32Array {
  const { roi, polygons, featherPx, protectPx } = geometry;
  // Each polygon with its bounding box grown by the width of its ramp: outside that box the ramp is
  // saturated (a hole's factor 1, a zone's shield 0), so its distance need not be computed.
  const near = (range: PolygonRange, margin: number) => ({
    range,
    box: grownBox(polygons, range.start, range.count, margin),
  });
  const holes = [geometry.mouth, geometry.leftEye, geometry.rightEye, ...geometry.hands]
    .filter((range) => range.count >= 3)
    .map((range) => near(range, featherPx * 0.5));
  const zones = [geometry.lips, geometry.leftZone, geometry.rightZone]
    .filter((range) => range.count >= 3)
    .map((range) => near(range, protectPx));
  const keep = new Float32Array(roi.width * roi.height);
  const inside = (px: number, py: number, { range, box }: ReturnType<typeof near>) =>
    px > box[0]! && py > box[1]! && px < box[2]! && py < box[3]!
      ? signedInsideDistance(px, py, polygons, range.start, range.count)
      : null;
  for (let y = 0; y < roi.height; y++) {
    const py = roi.y + y + 0.5;
    for (let x = 0; x < roi.width; x++) {
      const px = roi.x + x + 0.5;
      let k = 1;
      for (const hole of holes) {
        const d = inside(px, py, hole);
        if (d !== null) k *= ramp(featherPx * 0.5, -d);
      }
      if (geometry.occlusion && k > 0) {
        let shield = 0;
        for (const zone of zones) {
          const d = inside(px, py, zone);
          if (d !== null) shield = Math.max(shield, ramp(protectPx, d + protectPx));
        }
        const match = skinMatch(skinFeatures(image, roi.x + x, roi.y + y), skin);
        k *= match + (1 - match) * shield;
      }
      keep[y * roi.width + x] = k >= MIN_ALPHA ? k : 0;
    }
  }
  return keep;
}
