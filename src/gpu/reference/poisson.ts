import type { Roi } from '../face-geometry';
import type { RgbaImage } from '../types';
import { coarseStencils, domainRuns, fineStencils, reflectingSides } from './poisson-stencils';
import { Scratch } from './scratch';

/*
 * The blend stage: a Poisson seamless clone on the domain D (ROI pixels with alpha > 0). For p in D,
 * with q over p's 4 neighbours clamped to the image (at the image border a pixel is its own
 * neighbour) and g_q = t_q outside the ROI:  sum_q (f_p - f_q) = sum_q (g_p - g_q), f_q = t_q off D.
 * For the correction c = f - g this is a membrane: Laplace(c) = 0 on D, c = t - g on its boundary.
 * It is solved by multigrid V-cycles on a pyramid that halves the ROI down to COARSEST_SIDE. Every
 * level discretises the same boundary (coarseStencils) and the corrections are interpolated from
 * domain cells only (prolong), so a V-cycle cuts the error 3-10x whatever the ROI's size: a fixed
 * number of cycles converges at every face size (gpu-poisson.test.ts).
 */

/** Levels are halved until the larger side is at most this. */
export const COARSEST_SIDE = 2;
/** V-cycles per solve. */
export const V_CYCLES = 4;
/** Red-black Gauss-Seidel sweeps before and after the coarse-grid correction, and on the coarsest grid. */
export const PRE_SWEEPS = 1;
export const POST_SWEEPS = 2;
export const COARSEST_SWEEPS = 4;

/** One grid of the pyramid: level 0 is the ROI; `offset` is its first cell in the per-cell arrays. */
export interface PoissonLevel {
  width: number;
  height: number;
  offset: number;
}

/** The solver's state, per cell of every level. */
export interface PoissonGrids {
  levels: PoissonLevel[];
  /** Bit k set: the cell is linked to its neighbour k (left, right, up, down), both in the domain. */
  links: Uint8Array;
  /** The links plus the Dirichlet weights; 0 outside the domain. */
  diagonal: Float32Array;
  /** rgb, unused: c on level 0, the error of the finer level's x on the others; 0 outside the domain. */
  x: Float32Array;
  /** rgb, unused: level 0's boundary values; on the others, the finer level's restricted residual. */
  b: Float32Array;
}

export type MultigridStep =
  | { kind: 'smooth'; level: number; parity: number }
  | { kind: 'restrict'; level: number }
  | { kind: 'prolong'; level: number };

/** The pyramid for a ROI of width x height. */
export function poissonLevels(width: number, height: number): PoissonLevel[] {
  const levels = [{ width, height, offset: 0 }];
  for (let level = levels[0]!; Math.max(level.width, level.height) > COARSEST_SIDE;) {
    level = {
      width: Math.ceil(level.width / 2),
      height: Math.ceil(level.height / 2),
      offset: level.offset + level.width * level.height,
    };
    levels.push(level);
  }
  return levels;
}

/** Cells in all the levels together. */
export function poissonCells(width: number, height: number): number {
  const last = poissonLevels(width, height).pop()!;
  return last.offset + last.width * last.height;
}

/**
 * One V-cycle as a list of steps, which the WebGPU swapper encodes one dispatch each: down the
 * pyramid (smooth, restrict), sweeps on the coarsest grid, then up (prolong, smooth). A sweep is a
 * red (parity 0: x + y even) then a black half-sweep.
 */
export function vCycleSteps(levelCount: number): MultigridStep[] {
  const steps: MultigridStep[] = [];
  const sweeps = (level: number, count: number) => {
    for (let n = 0; n < count; n++) {
      steps.push({ kind: 'smooth', level, parity: 0 }, { kind: 'smooth', level, parity: 1 });
    }
  };
  for (let level = 0; level < levelCount - 1; level++) {
    sweeps(level, PRE_SWEEPS);
    steps.push({ kind: 'restrict', level });
  }
  sweeps(levelCount - 1, COARSEST_SWEEPS);
  for (let level = levelCount - 2; level >= 0; level--) {
    steps.push({ kind: 'prolong', level });
    sweeps(level, POST_SWEEPS);
  }
  return steps;
}

/** Every level's stencils, level 0's b and x = 0: the state before the first V-cycle. */
export function poissonSetup(
  target: RgbaImage,
  roi: Roi,
  alpha: Float32Array,
  guide: Float32Array,
  scratch: Scratch = new Scratch(),
): PoissonGrids {
  const cells = poissonCells(roi.width, roi.height);
  const grids: PoissonGrids = {
    levels: poissonLevels(roi.width, roi.height),
    links: scratch.uint8('poisson-links', cells),
    diagonal: scratch.float32('poisson-diagonal', cells),
    x: scratch.float32('poisson-x', cells * 4),
    b: scratch.float32('poisson-b', cells * 4),
  };
  fineStencils(grids, target, roi, alpha, guide);
  const sides = reflectingSides(roi, target.width, target.height);
  const runs = scratch.float32('poisson-runs', roi.width * roi.height * 4);
  domainRuns(alpha, roi, sides, runs);
  for (let l = 1; l < grids.levels.length; l++) coarseStencils(grids, l, runs, roi, sides);
  return grids;
}

/** gather's result (rgb). */
const sum = new Float64Array(3);

/**
 * Into `sum` (rgb): b - self * diagonal * x at cell i (self 0 or 1; the level's rows are `width`
 * cells) plus x over its linked neighbours. Written out channel by channel: the solver's inner loop.
 */
function gather(grids: PoissonGrids, i: number, width: number, self: number, sum: Float64Array): void {
  const { x, b } = grids;
  const p = i * 4;
  const row = width * 4;
  const bits = grids.links[i]!;
  const d = grids.diagonal[i]! * self;
  let r = b[p]! - d * x[p]!;
  let g = b[p + 1]! - d * x[p + 1]!;
  let bl = b[p + 2]! - d * x[p + 2]!;
  if (bits & 1) {
    r += x[p - 4]!;
    g += x[p - 3]!;
    bl += x[p - 2]!;
  }
  if (bits & 2) {
    r += x[p + 4]!;
    g += x[p + 5]!;
    bl += x[p + 6]!;
  }
  if (bits & 4) {
    r += x[p - row]!;
    g += x[p - row + 1]!;
    bl += x[p - row + 2]!;
  }
  if (bits & 8) {
    r += x[p + row]!;
    g += x[p + row + 1]!;
    bl += x[p + row + 2]!;
  }
  sum[0] = r;
  sum[1] = g;
  sum[2] = bl;
}

/** A Gauss-Seidel half-sweep over the domain cells of one colour: x_p = (b_p + linked x) / diagonal. */
export function smooth(grids: PoissonGrids, l: number, parity: number): void {
  const { width, height, offset } = grids.levels[l]!;
  const { diagonal, x } = grids;
  for (let cy = 0; cy < height; cy++) {
    for (let i = offset + cy * width + ((cy + parity) & 1); i < offset + (cy + 1) * width; i += 2) {
      const d = diagonal[i]!;
      if (d === 0) continue;
      gather(grids, i, width, 0, sum);
      x[i * 4] = sum[0]! / d;
      x[i * 4 + 1] = sum[1]! / d;
      x[i * 4 + 2] = sum[2]! / d;
    }
  }
}

/**
 * Level l + 1's right-hand side: per coarse cell, the sum of the residual b - A x over its 2x2
 * children (the coarse stencil is the fine one at twice the spacing: 4 x the children's mean);
 * its x starts at 0.
 */
export function restrict(grids: PoissonGrids, l: number): void {
  const fine = grids.levels[l]!;
  const coarse = grids.levels[l + 1]!;
  const { diagonal, x, b } = grids;
  x.fill(0, coarse.offset * 4, (coarse.offset + coarse.width * coarse.height) * 4);
  b.fill(0, coarse.offset * 4, (coarse.offset + coarse.width * coarse.height) * 4);
  for (let fy = 0; fy < fine.height; fy++) {
    for (let fx = 0; fx < fine.width; fx++) {
      const i = fine.offset + fy * fine.width + fx;
      if (diagonal[i] === 0) continue;
      gather(grids, i, fine.width, 1, sum);
      const j = (coarse.offset + (fy >> 1) * coarse.width + (fx >> 1)) * 4;
      b[j]! += sum[0]!;
      b[j + 1]! += sum[1]!;
      b[j + 2]! += sum[2]!;
    }
  }
}

/**
 * Adds level l + 1's x, interpolated, to level l's x on its domain: bilinearly (fine index f lies at
 * coarse index f / 2 - 1/4: between (f - 1) >> 1 and the next, clamped to the grid, 3/4 on the
 * nearer), over the coarse cells in the domain only, their weights scaled to sum to 1. A coarse cell
 * off the domain is not a zero to interpolate towards (the error is 0 on the boundary, which lies
 * nearer than that cell's centre): leaving it out is what keeps a V-cycle's gain near the edge.
 */
export function prolong(grids: PoissonGrids, l: number): void {
  const fine = grids.levels[l]!;
  const coarse = grids.levels[l + 1]!;
  const { diagonal, x } = grids;
  /** The bilinear weight of coarse cell j, or 0 when it is off the domain. */
  const w = (j: number, weight: number) => (diagonal[j] === 0 ? 0 : weight);
  for (let fy = 0; fy < fine.height; fy++) {
    const ty = fy & 1 ? 0.25 : 0.75;
    const row0 = coarse.offset + Math.max((fy - 1) >> 1, 0) * coarse.width;
    const row1 = coarse.offset + Math.min((fy + 1) >> 1, coarse.height - 1) * coarse.width;
    for (let fx = 0; fx < fine.width; fx++) {
      const i = fine.offset + fy * fine.width + fx;
      if (diagonal[i] === 0) continue;
      const tx = fx & 1 ? 0.25 : 0.75;
      const c00 = row0 + Math.max((fx - 1) >> 1, 0);
      const c10 = row0 + Math.min((fx + 1) >> 1, coarse.width - 1);
      const c01 = c00 + row1 - row0;
      const c11 = c10 + row1 - row0;
      const w00 = w(c00, (1 - tx) * (1 - ty));
      const w10 = w(c10, tx * (1 - ty));
      const w01 = w(c01, (1 - tx) * ty);
      const w11 = w(c11, tx * ty);
      const total = w00 + w10 + w01 + w11;
      if (total === 0) continue;
      for (let c = 0; c < 3; c++) {
        const value =
          w00 * x[c00 * 4 + c]! + w10 * x[c10 * 4 + c]! + w01 * x[c01 * 4 + c]! + w11 * x[c11 * 4 + c]!;
        x[i * 4 + c]! += value / total;
      }
    }
  }
}

/** Runs `cycles` V-cycles (vCycleSteps) on the CPU, from the grids' current x. */
export function runMultigrid(grids: PoissonGrids, cycles = V_CYCLES): void {
  const steps = vCycleSteps(grids.levels.length);
  for (let n = 0; n < cycles; n++) {
    for (const step of steps) {
      if (step.kind === 'smooth') smooth(grids, step.level, step.parity);
      else if (step.kind === 'restrict') restrict(grids, step.level);
      else prolong(grids, step.level);
    }
  }
}

/**
 * The Poisson solve: f = g + c (RGBA float32 per ROI pixel, a = 0; f = g outside the domain). The
 * result lives in `scratch` until its next use.
 */
export function poissonSolve(
  target: RgbaImage,
  roi: Roi,
  alpha: Float32Array,
  guide: Float32Array,
  scratch: Scratch = new Scratch(),
): Float32Array {
  const grids = poissonSetup(target, roi, alpha, guide, scratch);
  runMultigrid(grids);
  const f = scratch.float32('poisson-f', roi.width * roi.height * 4);
  for (let i = 0; i < f.length; i++) f[i] = guide[i]! + grids.x[i]!;
  return f;
}
