import type { Roi } from '../face-geometry';
import type { RgbaImage } from '../types';
import { Scratch } from './scratch';

/**
 * Where the blurred mask weight G(a) is at most this, the pixel is too far from the face for a local
 * average: the guide keeps the warp uncorrected there.
 */
export const MIN_BLUR_WEIGHT = 1e-4;

/** The Gaussian's sigma on the grid, in cells, that the downsampling factor aims for. */
export const GRID_SIGMA = 4;

/** Most taps (0..radius) the grid's Gaussian can have: its sigma stays below 2 x GRID_SIGMA. */
export const MAX_TAPS = Math.ceil(6 * GRID_SIGMA) + 1;

/** Floats per grid cell: a, a*(T - W).rgb (a vec4f on the GPU). */
export const CELL_FLOATS = 4;

/**
 * The coarse grid of the colour stage. Cell (i, j) averages the factor x factor ROI pixels from
 * (i * factor, j * factor), pixels past the ROI counting as 0. `sigma` is the Gaussian's on the
 * grid: the box average and the bilinear read-back each blur a little (together ~(factor^2 - 1) / 4
 * ROI px^2 of variance), so the grid's blur takes that off to total the asked-for sigma.
 */
export interface ColourGrid {
  factor: number;
  width: number;
  height: number;
  sigma: number;
}

/** The grid for a ROI and the face's Gaussian sigma: factor = floor(sigma / GRID_SIGMA), at least 1. */
export function colourGrid(roi: Roi, sigma: number): ColourGrid {
  const factor = Math.max(1, Math.floor(sigma / GRID_SIGMA));
  return {
    factor,
    width: Math.ceil(roi.width / factor),
    height: Math.ceil(roi.height / factor),
    sigma: Math.sqrt(sigma * sigma - (factor * factor - 1) / 4) / factor,
  };
}

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
 * The colour stage's statistics on the grid: per cell, the mean over its pixels of a and a*(T - W)
 * (a = mask alpha, W = warp rgb, T = target rgb in 0..1), CELL_FLOATS per cell.
 */
export function colourCells(
  warp: Float32Array,
  target: RgbaImage,
  roi: Roi,
  alpha: Float32Array,
  grid: ColourGrid,
  cells: Float32Array = new Float32Array(grid.width * grid.height * CELL_FLOATS),
): Float32Array {
  const { factor } = grid;
  cells.fill(0);
  for (let y = 0; y < roi.height; y++) {
    const rowCells = Math.floor(y / factor) * grid.width;
    for (let x = 0; x < roi.width; x++) {
      const i = y * roi.width + x;
      const a = alpha[i]!;
      if (!(a > 0)) continue;
      const cell = (rowCells + Math.floor(x / factor)) * CELL_FLOATS;
      const t = ((roi.y + y) * target.width + roi.x + x) * 4;
      cells[cell]! += a;
      for (let c = 0; c < 3; c++) cells[cell + 1 + c]! += a * (target.data[t + c]! / 255 - warp[i * 4 + c]!);
    }
  }
  const scale = 1 / (factor * factor);
  for (let k = 0; k < cells.length; k++) cells[k]! *= scale;
  return cells;
}

/**
 * One pass of the separable Gaussian on the grid, along x (axis 0) or y (axis 1): per cell, the sum
 * of `weights[|k|]` times the cell k away, over the cells inside the grid (zero padding).
 */
export function colourBlur(
  input: Float32Array,
  grid: ColourGrid,
  weights: Float32Array,
  axis: 0 | 1,
  output: Float32Array = new Float32Array(input.length),
): Float32Array {
  const radius = weights.length - 1;
  const [length, stride] = axis === 0 ? [grid.width, 1] : [grid.height, grid.width];
  for (let y = 0; y < grid.height; y++) {
    for (let x = 0; x < grid.width; x++) {
      const at = axis === 0 ? x : y;
      const out = (y * grid.width + x) * CELL_FLOATS;
      output.fill(0, out, out + CELL_FLOATS);
      for (let n = Math.max(at - radius, 0); n <= Math.min(at + radius, length - 1); n++) {
        const w = weights[Math.abs(n - at)]!;
        const from = out + (n - at) * stride * CELL_FLOATS;
        for (let c = 0; c < CELL_FLOATS; c++) output[out + c]! += w * input[from + c]!;
      }
    }
  }
  return output;
}

/**
 * For each of `count` ROI pixels along an axis of `size` grid cells: the two cells it is read back
 * from (cell centres at (i + 0.5) * factor px, clamped to the grid) and the second one's weight.
 */
function readBackTaps(count: number, factor: number, size: number): [Int32Array, Float64Array] {
  const cells = new Int32Array(count * 2);
  const weights = new Float64Array(count);
  for (let p = 0; p < count; p++) {
    const u = (p + 0.5) / factor - 0.5;
    const i0 = Math.floor(u);
    cells.set([Math.max(i0, 0), Math.min(i0 + 1, size - 1)], p * 2);
    weights[p] = u - i0;
  }
  return [cells, weights];
}

/**
 * The transfer, per ROI pixel: [Sa, SD] = the blurred grid read back bilinearly (cell centres at
 * (i + 0.5) * factor ROI px, indices clamped to the grid; rows first, then along the row). Where
 * the warp covers the pixel, the guide is g = clamp(W + SD / Sa, 0, 1) when Sa > MIN_BLUR_WEIGHT and
 * W otherwise, then T + (g - T) * keep where `keep` (faceKeep) is below 1; the target elsewhere
 * (RGBA float32, a unused = 0).
 */
export function colourGuide(
  warp: Float32Array,
  target: RgbaImage,
  roi: Roi,
  grid: ColourGrid,
  blurred: Float32Array,
  keep?: Float32Array,
  guide: Float32Array = new Float32Array(roi.width * roi.height * 4),
): Float32Array {
  const row = new Float64Array(grid.width * CELL_FLOATS);
  const [columns, columnWeights] = readBackTaps(roi.width, grid.factor, grid.width);
  const [rows, rowWeights] = readBackTaps(roi.height, grid.factor, grid.height);
  for (let y = 0; y < roi.height; y++) {
    const row0 = rows[y * 2]! * grid.width * CELL_FLOATS;
    const row1 = rows[y * 2 + 1]! * grid.width * CELL_FLOATS;
    const ty = rowWeights[y]!;
    for (let k = 0; k < row.length; k++)
      row[k] = blurred[row0 + k]! + (blurred[row1 + k]! - blurred[row0 + k]!) * ty;
    for (let x = 0; x < roi.width; x++) {
      const i = y * roi.width + x;
      const t = ((roi.y + y) * target.width + roi.x + x) * 4;
      guide[i * 4 + 3] = 0;
      if (!(warp[i * 4 + 3]! > 0)) {
        for (let c = 0; c < 3; c++) guide[i * 4 + c] = target.data[t + c]! / 255;
        continue;
      }
      const c0 = columns[x * 2]! * CELL_FLOATS;
      const c1 = columns[x * 2 + 1]! * CELL_FLOATS;
      const tx = columnWeights[x]!;
      const sa = row[c0]! + (row[c1]! - row[c0]!) * tx;
      const k = keep ? keep[i]! : 1;
      for (let c = 0; c < 3; c++) {
        const w = warp[i * 4 + c]!;
        const sd = row[c0 + 1 + c]! + (row[c1 + 1 + c]! - row[c0 + 1 + c]!) * tx;
        const g = sa > MIN_BLUR_WEIGHT ? Math.min(Math.max(w + sd / sa, 0), 1) : w;
        const tc = target.data[t + c]! / 255;
        guide[i * 4 + c] = k < 1 ? tc + (g - tc) * k : g;
      }
    }
  }
  return guide;
}

/**
 * The colour stage: a mask-weighted low-frequency colour transfer ("normalised convolution"). Keeps
 * the warped source's detail and takes the target's local colour and lighting: per pixel,
 * g = W + G(a*(T - W)) / G(a) = W + G(a*T) / G(a) - G(a*W) / G(a), with G a Gaussian blur of
 * `sigma` px over the ROI, so the pixels outside the face do not bleed into the averages. The blur
 * runs on a grid `factor` times coarser (colourGrid), so its cost is the face's area, not its area
 * times the Gaussian's width. With `keep` (faceKeep), the statistics weigh alpha x keep, so the
 * kept holes and occluders do not colour the face, and the guide takes the target where keep < 1.
 * Returns the Poisson guide (see colourGuide), which lives in `scratch` until its next use.
 */
export function colourTransfer(
  warp: Float32Array,
  target: RgbaImage,
  roi: Roi,
  alpha: Float32Array,
  sigma: number,
  scratch: Scratch = new Scratch(),
  keep?: Float32Array,
): Float32Array {
  const grid = colourGrid(roi, sigma);
  const weights = gaussianWeights(grid.sigma);
  const size = grid.width * grid.height * CELL_FLOATS;
  const weight = keep ? blendWeight(alpha, keep, scratch.float32('colour-weight', alpha.length)) : alpha;
  const cells = colourCells(warp, target, roi, weight, grid, scratch.float32('colour-cells', size));
  const rows = colourBlur(cells, grid, weights, 0, scratch.float32('colour-rows', size));
  const blurred = colourBlur(rows, grid, weights, 1, scratch.float32('colour-blurred', size));
  return colourGuide(
    warp,
    target,
    roi,
    grid,
    blurred,
    keep,
    scratch.float32('colour-guide', roi.width * roi.height * 4),
  );
}

/** The blend weight per ROI pixel, alpha x keep (float32, as the kernels multiply them). */
export function blendWeight(
  alpha: Float32Array,
  keep: Float32Array,
  out: Float32Array = new Float32Array(alpha.length),
): Float32Array {
  for (let i = 0; i < alpha.length; i++) out[i] = alpha[i]! * keep[i]!;
  return out;
}
