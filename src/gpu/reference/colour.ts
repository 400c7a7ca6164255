import type { Roi } from '../face-geometry';
import type { RgbaImage } from '../types';

/** Per-channel (r, g, b) transfer parameters: g = (warped - sourceMean) * ratio + targetMean. */
export interface ColourTransfer {
  sourceMean: [number, number, number];
  ratio: [number, number, number];
  targetMean: [number, number, number];
}

/** Limits of the std ratio, so a flat source or target cannot blow up or flatten the face. */
export const MIN_STD_RATIO = 0.5;
export const MAX_STD_RATIO = 2;
/** Floor of the source std in the ratio's denominator. */
export const STD_EPSILON = 1e-6;

/**
 * Mask-weighted mean and standard deviation per RGB channel of the warped source and of the target
 * inside the ROI, turned into Reinhard-style transfer parameters.
 */
export function colourTransfer(warp: Float32Array, target: RgbaImage, roi: Roi, alpha: Float32Array): ColourTransfer {
  let weight = 0;
  const sums = new Float64Array(12);
  for (let y = 0; y < roi.height; y++) {
    for (let x = 0; x < roi.width; x++) {
      const i = y * roi.width + x;
      const w = alpha[i]!;
      if (w <= 0) continue;
      const t = ((roi.y + y) * target.width + roi.x + x) * 4;
      weight += w;
      for (let c = 0; c < 3; c++) {
        const s = warp[i * 4 + c]!;
        const v = target.data[t + c]! / 255;
        sums[c]! += w * s;
        sums[3 + c]! += w * s * s;
        sums[6 + c]! += w * v;
        sums[9 + c]! += w * v * v;
      }
    }
  }
  const result: ColourTransfer = { sourceMean: [0, 0, 0], ratio: [1, 1, 1], targetMean: [0, 0, 0] };
  if (weight <= 0) return result;
  for (let c = 0; c < 3; c++) {
    const meanS = sums[c]! / weight;
    const meanT = sums[6 + c]! / weight;
    const stdS = Math.sqrt(Math.max(sums[3 + c]! / weight - meanS * meanS, 0));
    const stdT = Math.sqrt(Math.max(sums[9 + c]! / weight - meanT * meanT, 0));
    result.sourceMean[c] = meanS;
    result.targetMean[c] = meanT;
    result.ratio[c] = Math.min(Math.max(stdT / Math.max(stdS, STD_EPSILON), MIN_STD_RATIO), MAX_STD_RATIO);
  }
  return result;
}

/**
 * The Poisson guidance per ROI pixel (RGBA float32, a unused = 0): the colour-transferred warp
 * (clamped to 0..1) where the warp covers the pixel, the target elsewhere.
 */
export function applyColourTransfer(warp: Float32Array, target: RgbaImage, roi: Roi, transfer: ColourTransfer): Float32Array {
  const guide = new Float32Array(roi.width * roi.height * 4);
  for (let y = 0; y < roi.height; y++) {
    for (let x = 0; x < roi.width; x++) {
      const i = y * roi.width + x;
      const t = ((roi.y + y) * target.width + roi.x + x) * 4;
      const covered = warp[i * 4 + 3]! > 0;
      for (let c = 0; c < 3; c++) {
        guide[i * 4 + c] = covered
          ? Math.min(Math.max((warp[i * 4 + c]! - transfer.sourceMean[c]!) * transfer.ratio[c]! + transfer.targetMean[c]!, 0), 1)
          : target.data[t + c]! / 255;
      }
    }
  }
  return guide;
}
