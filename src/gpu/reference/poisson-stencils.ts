import type { Roi } from '../face-geometry';
import type { RgbaImage } from '../types';
import type { PoissonGrids } from './poisson';
import { ramp } from './polygon';

/*
 * The Poisson blend's stencils (see poisson.ts): level 0's from the ROI's pixels, and every coarser
 * level's from the same boundary, so that each level solves the same problem at its own spacing.
 */

/** A run of domain pixels that reaches a reflecting side never ends (domainRuns). */
export const ENDLESS_RUN = 1 << 30;

/** Bit k set when the ROI's side k (left, right, up, down) lies on the image border. */
export function reflectingSides(roi: Roi, imageWidth: number, imageHeight: number): number {
  const sides = [
    roi.x === 0,
    roi.x + roi.width === imageWidth,
    roi.y === 0,
    roi.y + roi.height === imageHeight,
  ];
  return sides.reduce((bits, on, k) => bits | (on ? 1 << k : 0), 0);
}

/**
 * Level 0: links and diagonal (4 less the reflecting sides), b = the sum of seamWeight x (t_q - g_q)
 * over the neighbours q in the ROI but outside the domain, x = 0. Neighbours outside the ROI are t
 * there.
 */
/**
 * The seam's step, the largest channel of |t_q - g_q| (0..1), up to which the boundary takes the
 * target fully, and from which it takes the guide (a smooth ramp between): a small step is the
 * target's light, which the membrane carries across the face; a large one is hair, a hand or a
 * background that frames the face, whose colour it must not spread over the skin.
 */
export const SEAM_FROM = 0.06;
export const SEAM_TO = 0.15;

/** How much of the boundary step t - g (rgb, 0..1) the membrane carries: 1 up to SEAM_FROM, 0 from SEAM_TO. */
export function seamWeight(r: number, g: number, b: number): number {
  return 1 - ramp(SEAM_TO - SEAM_FROM, Math.max(Math.abs(r), Math.abs(g), Math.abs(b)) - SEAM_FROM);
}

export function fineStencils(
  grids: PoissonGrids,
  target: RgbaImage,
  roi: Roi,
  alpha: Float32Array,
  guide: Float32Array,
): void {
  const { width, height } = roi;
  const { links, diagonal, x, b } = grids;
  const sides = reflectingSides(roi, target.width, target.height);
  x.fill(0, 0, width * height * 4);
  b.fill(0, 0, width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let xx = 0; xx < width; xx++) {
      const i = y * width + xx;
      links[i] = 0;
      diagonal[i] = 0;
      if (!(alpha[i]! > 0)) continue;
      for (let k = 0; k < 4; k++) {
        const qx = xx + (k === 0 ? -1 : k === 1 ? 1 : 0);
        const qy = y + (k === 2 ? -1 : k === 3 ? 1 : 0);
        if (qx < 0 || qy < 0 || qx >= width || qy >= height) {
          if (!(sides & (1 << k))) diagonal[i]!++;
          continue;
        }
        const q = qy * width + qx;
        diagonal[i]!++;
        if (alpha[q]! > 0) {
          links[i]! |= 1 << k;
          continue;
        }
        const t = ((roi.y + qy) * target.width + roi.x + qx) * 4;
        const dr = target.data[t]! / 255 - guide[q * 4]!;
        const dg = target.data[t + 1]! / 255 - guide[q * 4 + 1]!;
        const db = target.data[t + 2]! / 255 - guide[q * 4 + 2]!;
        const w = seamWeight(dr, dg, db);
        b[i * 4]! += w * dr;
        b[i * 4 + 1]! += w * dg;
        b[i * 4 + 2]! += w * db;
      }
    }
  }
}

/**
 * Per ROI pixel and direction k (left, right, up, down): how many domain pixels in a row start at
 * the pixel going in direction k; 0 outside the domain, ENDLESS_RUN and more when the run reaches a
 * reflecting side.
 */
export function domainRuns(alpha: Float32Array, roi: Roi, sides: number, runs: Float32Array): void {
  const { width, height } = roi;
  for (let k = 0; k < 4; k++) {
    const horizontal = k < 2;
    const lanes = horizontal ? height : width;
    const length = horizontal ? width : height;
    // Pixels are visited from the side the runs point to: the run of direction k ends there.
    const first = k === 0 || k === 2 ? 0 : length - 1;
    const step = k === 0 || k === 2 ? 1 : -1;
    for (let lane = 0; lane < lanes; lane++) {
      let run = sides & (1 << k) ? ENDLESS_RUN : 0;
      for (let n = 0, along = first; n < length; n++, along += step) {
        const i = horizontal ? lane * width + along : along * width + lane;
        run = alpha[i]! > 0 ? run + 1 : 0;
        runs[i * 4 + k] = run;
      }
    }
  }
}

/** The run of direction k at ROI pixel (px, py): past a reflecting side the edge pixel's, past another 0. */
function runAt(runs: Float32Array, roi: Roi, sides: number, px: number, py: number, k: number): number {
  const x = px < 0 ? (sides & 1 ? 0 : -1) : px >= roi.width ? (sides & 2 ? roi.width - 1 : -1) : px;
  const y = py < 0 ? (sides & 4 ? 0 : -1) : py >= roi.height ? (sides & 8 ? roi.height - 1 : -1) : py;
  return x < 0 || y < 0 ? 0 : runs[(y * roi.width + x) * 4 + k]!;
}

/**
 * Level l's stencils (l >= 1, spacing H = 2^l ROI pixels), which discretise level 0's boundary
 * (ghost-fluid style). A cell's centre is the corner between ROI pixels (px - 1, px) x (py - 1, py),
 * and the cell is in the domain when those 4 pixels are. Along direction k, with `through` the
 * shorter run of direction k of the two lanes (rows or columns) from the cell's own pixels on the
 * far side: it links to its neighbour when through >= H + 2 (every pixel from its own centre pixels
 * to the neighbour's far ones is in the domain); otherwise the boundary (the first pixel outside
 * the domain) lies d = min(through - 0.5, H) away and adds H / d to the diagonal.
 */
export function coarseStencils(grids: PoissonGrids, l: number, runs: Float32Array, roi: Roi, sides: number) {
  const level = grids.levels[l]!;
  const spacing = 2 ** l;
  const { links, diagonal } = grids;
  for (let cy = 0; cy < level.height; cy++) {
    for (let cx = 0; cx < level.width; cx++) {
      const j = level.offset + cy * level.width + cx;
      const px = spacing * cx + spacing / 2;
      const py = spacing * cy + spacing / 2;
      links[j] = 0;
      diagonal[j] = 0;
      const inside = Math.min(
        runAt(runs, roi, sides, px - 1, py - 1, 1),
        runAt(runs, roi, sides, px - 1, py, 1),
      );
      if (inside < 2) continue;
      for (let k = 0; k < 4; k++) {
        // Left and up start from the pixels at px, py; right and down from those at px - 1, py - 1.
        const ax = k === 0 ? px : px - 1;
        const ay = k === 2 ? py : py - 1;
        const through =
          k < 2
            ? Math.min(runAt(runs, roi, sides, ax, py - 1, k), runAt(runs, roi, sides, ax, py, k))
            : Math.min(runAt(runs, roi, sides, px - 1, ay, k), runAt(runs, roi, sides, px, ay, k));
        if (through < spacing + 2) {
          diagonal[j]! += spacing / Math.min(through - 0.5, spacing);
        } else if (
          k === 0 ? cx > 0 : k === 1 ? cx < level.width - 1 : k === 2 ? cy > 0 : cy < level.height - 1
        ) {
          links[j]! |= 1 << k;
          diagonal[j]!++;
        }
      }
    }
  }
}
