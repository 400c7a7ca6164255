import type { Roi } from '../face-geometry';
import type { RgbaImage } from '../types';

/**
 * Where the blurred mask weight G(a) is at most this, the pixel is too far from the face for a local
 * average: the guide keeps the warp uncorrected there.
 */
export const MIN_BLUR_WEIGHT = 1e-4;

/** Floats per ROI pixel of the horizontal pass: G(a), G(a*W).rgb, G(a*T).rgb, 0 (two vec4f on the GPU). */
export const ROW_FLOATS = 8;

/**
 * Taps 0..radius (radius = ceil(3 sigma)) of a 1-D Gaussian, exp(-k^2 / (2 sigma^2)) normalised so
 * that the 2 * radius + 1 taps sum to 1 (so the 2-D product has unit mass and MIN_BLUR_WEIGHT is a
 * fraction of it). float32: the WebGPU swapper uploads exactly these values, so both sides blur
 * with identical weights.
 */
export function gaussianWeights(sigma: number): Float32Array {
  const radius = Math.ceil(3 * sigma);
  const weights = new Float64Array(radius + 1);
  let sum = 0;
  for (let k = 0; k <= radius; k++) {
    weights[k] = Math.exp(-(k * k) / (2 * sigma * sigma));
    sum += k === 0 ? weights[k]! : 2 * weights[k]!;
  }
  return Float32Array.from(weights, (w) => w / sum);
}

/**
 * Horizontal pass of the colour stage: per ROI pixel, the row-wise Gaussian sum of the 7 channels
 * [a, a*W.rgb, a*T.rgb] (a = mask alpha, W = warp rgb, T = target rgb in 0..1) over the taps inside
 * the ROI (taps outside contribute 0), laid out as ROW_FLOATS per pixel like the GPU's buffer.
 * Each weighted pixel is spread over its row's neighbours (the same sum as the GPU's gather), so
 * pixels with a = 0 cost nothing.
 */
export function colourRows(
  warp: Float32Array,
  target: RgbaImage,
  roi: Roi,
  alpha: Float32Array,
  weights: Float32Array,
): Float32Array {
  const { width, height } = roi;
  const radius = weights.length - 1;
  const rows = new Float32Array(width * height * ROW_FLOATS);
  const sums = new Float64Array(width * 7);
  const moments = new Float64Array(7);
  for (let y = 0; y < height; y++) {
    sums.fill(0);
    for (let xx = 0; xx < width; xx++) {
      const i = y * width + xx;
      const a = alpha[i]!;
      if (a <= 0) continue;
      const t = ((roi.y + y) * target.width + roi.x + xx) * 4;
      moments[0] = a;
      for (let c = 0; c < 3; c++) {
        moments[1 + c] = a * warp[i * 4 + c]!;
        moments[4 + c] = (a * target.data[t + c]!) / 255;
      }
      for (let x = Math.max(xx - radius, 0); x <= Math.min(xx + radius, width - 1); x++) {
        const w = weights[Math.abs(xx - x)]!;
        for (let c = 0; c < 7; c++) sums[x * 7 + c]! += w * moments[c]!;
      }
    }
    for (let x = 0; x < width; x++) rows.set(sums.subarray(x * 7, x * 7 + 7), (y * width + x) * ROW_FLOATS);
  }
  return rows;
}

/**
 * Vertical pass of the colour stage, which also applies the transfer. With Sa, SW, ST the columns
 * of `rows` summed with the same Gaussian: where the warp covers the pixel, the guide is
 * clamp(W + (ST - SW) / Sa, 0, 1) when Sa > MIN_BLUR_WEIGHT and W otherwise; the target elsewhere
 * (RGBA float32, a unused = 0).
 */
export function colourGuide(
  warp: Float32Array,
  target: RgbaImage,
  roi: Roi,
  rows: Float32Array,
  weights: Float32Array,
): Float32Array {
  const { width, height } = roi;
  const radius = weights.length - 1;
  const guide = new Float32Array(width * height * 4);
  const sums = new Float64Array(width * ROW_FLOATS);
  for (let y = 0; y < height; y++) {
    // Row by row (one output row from whole input rows) keeps the reads sequential.
    sums.fill(0);
    for (let yy = Math.max(y - radius, 0); yy <= Math.min(y + radius, height - 1); yy++) {
      const w = weights[Math.abs(yy - y)]!;
      const row = yy * width * ROW_FLOATS;
      for (let k = 0; k < width * ROW_FLOATS; k++) sums[k]! += w * rows[row + k]!;
    }
    for (let x = 0; x < width; x++) {
      const i = y * width + x;
      const t = ((roi.y + y) * target.width + roi.x + x) * 4;
      const covered = warp[i * 4 + 3]! > 0;
      const sa = sums[x * ROW_FLOATS]!;
      for (let c = 0; c < 3; c++) {
        const s = warp[i * 4 + c]!;
        const sw = sums[x * ROW_FLOATS + 1 + c]!;
        const st = sums[x * ROW_FLOATS + 4 + c]!;
        guide[i * 4 + c] = !covered
          ? target.data[t + c]! / 255
          : sa > MIN_BLUR_WEIGHT
            ? Math.min(Math.max(s + (st - sw) / sa, 0), 1)
            : s;
      }
    }
  }
  return guide;
}

/**
 * The colour stage: a mask-weighted low-frequency colour transfer ("normalised convolution"). Keeps
 * the warped source's detail and takes the target's local colour and lighting: per pixel,
 * g = W + G(a*T) / G(a) - G(a*W) / G(a) with G a Gaussian blur of `sigma` px over the ROI, so the
 * pixels outside the face do not bleed into the averages. Returns the Poisson guide (see colourGuide).
 */
export function colourTransfer(
  warp: Float32Array,
  target: RgbaImage,
  roi: Roi,
  alpha: Float32Array,
  sigma: number,
): Float32Array {
  const weights = gaussianWeights(sigma);
  return colourGuide(warp, target, roi, colourRows(warp, target, roi, alpha, weights), weights);
}
