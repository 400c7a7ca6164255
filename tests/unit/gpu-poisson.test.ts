import { describe, expect, it } from 'vitest';
import {
  COARSEST_SIDE,
  poissonLevels,
  poissonSetup,
  poissonSolve,
  runMultigrid,
  V_CYCLES,
  vCycleSteps,
} from '../../src/gpu/reference/poisson';
import { SEAM_FROM, SEAM_TO, seamWeight } from '../../src/gpu/reference/poisson-stencils';
import type { Roi } from '../../src/gpu/face-geometry';
import type { RgbaImage } from '../../src/gpu/types';

const size = 40;
const roi = { x: 8, y: 6, width: 24, height: 26 };

function targetImage(value: (x: number, y: number) => number, width = size, height = size): RgbaImage {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = value(x, y);
      data.set([v, 255 - v, v / 2, 255], (y * width + x) * 4);
    }
  }
  return { width, height, data };
}

/** An elliptic domain filling the ROI but for a 2 px margin, with a hole like a kept mouth, alpha 0.5. */
function ovalAlpha(area: Roi, hole = true): Float32Array {
  const alpha = new Float32Array(area.width * area.height);
  const [cx, cy] = [area.width / 2, area.height / 2];
  for (let y = 0; y < area.height; y++) {
    for (let x = 0; x < area.width; x++) {
      const e = Math.hypot((x + 0.5 - cx) / (cx - 2), (y + 0.5 - cy) / (cy - 2));
      const mouth = Math.hypot((x + 0.5 - cx) / (0.25 * cx), (y + 0.5 - 1.4 * cy) / (0.1 * cy));
      if (e < 1 && !(hole && mouth < 1)) alpha[y * area.width + x] = 0.5;
    }
  }
  return alpha;
}

function guideFrom(area: Roi, value: (x: number, y: number, c: number) => number): Float32Array {
  const guide = new Float32Array(area.width * area.height * 4);
  for (let y = 0; y < area.height; y++) {
    for (let x = 0; x < area.width; x++)
      for (let c = 0; c < 3; c++) guide[(y * area.width + x) * 4 + c] = value(x, y, c);
  }
  return guide;
}

const pattern = (x: number, y: number) => 60 + 4 * x + 2 * y + 20 * Math.sin(x * 0.4 + y * 0.3);
const t = (image: RgbaImage, area: Roi, x: number, y: number, c: number) =>
  image.data[((area.y + y) * image.width + area.x + x) * 4 + c]! / 255;

/**
 * The seamless clone's equations straight from their definition, independent of the multigrid: for
 * p in the domain and its 4 neighbours q clamped to the image, sum_q (f_p - f_q) = sum_q (g_p - g_q)
 * with f_q = g_q + w (t_q - g_q) off the domain (w the seam weight of that step) and g_q = t_q
 * outside the ROI. Calls `visit` per domain pixel and
 * channel with the neighbour sum of known terms, the domain neighbours other than p, and the count
 * of neighbours that are p itself.
 */
function equations(
  target: RgbaImage,
  area: Roi,
  alpha: Float32Array,
  guide: Float32Array,
  visit: (i: number, c: number, known: number, unknowns: number[], self: number) => void,
) {
  for (let y = 0; y < area.height; y++) {
    for (let x = 0; x < area.width; x++) {
      const i = y * area.width + x;
      if (!(alpha[i]! > 0)) continue;
      for (let c = 0; c < 3; c++) {
        let known = 0;
        let self = 0;
        const unknowns: number[] = [];
        for (const [dx, dy] of [
          [-1, 0],
          [1, 0],
          [0, -1],
          [0, 1],
        ] as const) {
          const px = Math.min(Math.max(area.x + x + dx, 0), target.width - 1) - area.x;
          const py = Math.min(Math.max(area.y + y + dy, 0), target.height - 1) - area.y;
          const q = py * area.width + px;
          const inRoi = px >= 0 && py >= 0 && px < area.width && py < area.height;
          const gq = inRoi ? guide[q * 4 + c]! : t(target, area, px, py, c);
          known += guide[i * 4 + c]! - gq;
          if (q === i) self++;
          else if (inRoi && alpha[q]! > 0) unknowns.push(q);
          else {
            const step = (k: number) =>
              t(target, area, px, py, k) - (inRoi ? guide[q * 4 + k]! : t(target, area, px, py, k));
            known += gq + seamWeight(step(0), step(1), step(2)) * step(c);
          }
        }
        visit(i, c, known, unknowns, self);
      }
    }
  }
}

/** The equations solved by successive over-relaxation until no value moves by 1e-13. */
function directSolve(target: RgbaImage, area: Roi, alpha: Float32Array, guide: Float32Array): Float64Array {
  const f = Float64Array.from(guide);
  for (let moved = 1; moved > 1e-13;) {
    moved = 0;
    equations(target, area, alpha, guide, (i, c, known, unknowns, self) => {
      const value = (known + unknowns.reduce((sum, q) => sum + f[q * 4 + c]!, 0)) / (4 - self);
      const next = f[i * 4 + c]! + 1.8 * (value - f[i * 4 + c]!);
      moved = Math.max(moved, Math.abs(next - f[i * 4 + c]!));
      f[i * 4 + c] = next;
    });
  }
  return f;
}

/** Largest |a - b| over the domain's rgb. */
function domainError(alpha: Float32Array, a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  alpha.forEach((value, i) => {
    if (!(value > 0)) return;
    for (let c = 0; c < 3; c++) worst = Math.max(worst, Math.abs(a[i * 4 + c]! - b[i * 4 + c]!));
  });
  return worst;
}

describe('Poisson blend (multigrid)', () => {
  it('builds a pyramid that halves the ROI down to COARSEST_SIDE, and cycles through it', () => {
    const levels = poissonLevels(400, 501);
    expect(levels.map((level) => [level.width, level.height])).toEqual([
      [400, 501],
      [200, 251],
      [100, 126],
      [50, 63],
      [25, 32],
      [13, 16],
      [7, 8],
      [4, 4],
      [2, 2],
    ]);
    expect(Math.max(levels.at(-1)!.width, levels.at(-1)!.height)).toBeLessThanOrEqual(COARSEST_SIDE);
    levels.slice(1).forEach((level, l) => {
      expect(level.offset).toBe(levels[l]!.offset + levels[l]!.width * levels[l]!.height);
    });
    const steps = vCycleSteps(levels.length);
    expect(steps[0]).toEqual({ kind: 'smooth', level: 0, parity: 0 });
    expect(steps.at(-1)).toEqual({ kind: 'smooth', level: 0, parity: 1 });
    expect(steps.filter((step) => step.kind === 'restrict').map((step) => step.level)).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7,
    ]);
    expect(steps.filter((step) => step.kind === 'prolong').map((step) => step.level)).toEqual([
      7, 6, 5, 4, 3, 2, 1, 0,
    ]);
  });

  it('puts the coarse grids’ boundary where the ROI pixels have it', () => {
    // Columns 0 and 1 lie outside the domain: level 1's cell 1 (centre between columns 2 and 3)
    // sees the boundary 1.5 px to its left, at spacing 2: a Dirichlet weight of 2 / 1.5.
    const area = { x: 0, y: 0, width: 16, height: 16 };
    const alpha = new Float32Array(16 * 16).map((_, i) => (i % 16 >= 2 ? 1 : 0));
    const grids = poissonSetup(targetImage(pattern, 16, 16), area, alpha, new Float32Array(16 * 16 * 4));
    const level = grids.levels[1]!;
    const cell = (x: number, y: number) => level.offset + y * level.width + x;
    expect(grids.diagonal[cell(0, 3)]).toBe(0);
    expect(grids.links[cell(1, 3)]).toBe(0b1110);
    expect(grids.diagonal[cell(1, 3)]).toBeCloseTo(3 + 2 / 1.5, 6);
    expect(grids.links[cell(3, 3)]).toBe(0b1111);
    expect(grids.diagonal[cell(3, 3)]).toBe(4);
    // The ROI is the whole image: its sides reflect, so edge cells have no link and no weight there.
    expect(grids.links[cell(7, 0)]).toBe(0b1001);
    expect(grids.diagonal[cell(7, 0)]).toBe(2);
  });

  it('matches a converged solve of the equations to well under 1/255, also at the image border', () => {
    const target = targetImage(pattern);
    // Steps to the target from 0 to 0.1: the seam carries some fully and some in part.
    const guide = (area: Roi) =>
      guideFrom(
        area,
        (x, y, c) => t(target, area, x, y, c) + 0.1 * Math.sin(x * 0.5 + c) * Math.cos(y * 0.3),
      );
    const border = { x: 0, y: 0, width: 22, height: 20 };
    const borderAlpha = new Float32Array(22 * 20).map((_, i) =>
      Math.hypot(i % 22, Math.floor(i / 22)) < 18 ? 1 : 0,
    );
    for (const [area, alpha] of [
      [roi, ovalAlpha(roi)],
      [border, borderAlpha],
    ] as const) {
      const exact = directSolve(target, area, alpha, guide(area));
      const f = poissonSolve(target, area, alpha, guide(area));
      expect(domainError(alpha, f, exact)).toBeLessThan(0.1 / 255);
      // The seam carries at most SEAM_TO of a boundary step, so the solution moves the guide by a few 1/100.
      expect(domainError(alpha, guide(area), exact)).toBeGreaterThan(0.02);
    }
  });

  it('cuts the error at least 2.5x per V-cycle at every ROI size, to under 0.25/255 after V_CYCLES', () => {
    for (const side of [48, 240]) {
      const area = { x: 20, y: 10, width: side, height: Math.round(side * 1.2) };
      const target = targetImage((x, y) => 128 + 60 * Math.sin(x * 0.05) + 30 * Math.cos(y * 0.3), 300, 320);
      const alpha = ovalAlpha(area);
      const guide = guideFrom(area, (x, y, c) => 0.5 + 0.3 * Math.sin((x + 7 * c) * 0.7) * Math.cos(y * 0.2));
      const converged = poissonSetup(target, area, alpha, guide);
      runMultigrid(converged, 30);
      let residual = 0;
      equations(target, area, alpha, guide, (i, c, known, unknowns, self) => {
        const f = (q: number) => guide[q * 4 + c]! + converged.x[q * 4 + c]!;
        const sum = unknowns.reduce((s, q) => s + f(q), 0);
        residual = Math.max(residual, Math.abs((4 - self) * f(i) - sum - known));
      });
      expect(residual).toBeLessThan(1e-5);
      const grids = poissonSetup(target, area, alpha, guide);
      const errors = [domainError(alpha, grids.x, converged.x)];
      for (let cycle = 0; cycle < V_CYCLES; cycle++) {
        runMultigrid(grids, 1);
        errors.push(domainError(alpha, grids.x, converged.x));
        expect(errors.at(-1)!).toBeLessThan(errors.at(-2)! / 2.5);
      }
      expect(errors[0]).toBeGreaterThan(0.03);
      expect(errors.at(-1)).toBeLessThan(0.25 / 255);
    }
  });

  it("returns the boundary's values for a guide that is the target plus a light step", () => {
    const target = targetImage(pattern);
    const alpha = ovalAlpha(roi);
    const guide = guideFrom(roi, (x, y, c) => t(target, roi, x, y, c) + SEAM_FROM * 0.9);
    const f = poissonSolve(target, roi, alpha, guide);
    const want = guideFrom(roi, (x, y, c) => t(target, roi, x, y, c));
    expect(domainError(alpha, f, want)).toBeLessThan(0.1 / 255);
  });

  it('joins the target smoothly at the domain edge where the guide is a light step off', () => {
    const target = targetImage((x, y) => 40 + 3 * x + y);
    const alpha = ovalAlpha(roi, false);
    const guide = guideFrom(roi, (x, y, c) => t(target, roi, x, y, c) - 0.9 * SEAM_FROM);
    const f = poissonSolve(target, roi, alpha, guide);
    let worstJump = 0;
    for (let y = 1; y < roi.height - 1; y++) {
      for (let x = 1; x < roi.width - 1; x++) {
        const i = y * roi.width + x;
        if (!(alpha[i]! > 0)) continue;
        for (const j of [i - 1, i + 1, i - roi.width, i + roi.width]) {
          if (alpha[j]! > 0) continue;
          worstJump = Math.max(
            worstJump,
            Math.abs(f[i * 4]! - t(target, roi, j % roi.width, Math.floor(j / roi.width), 0)),
          );
        }
      }
    }
    // The target changes by 3/255 per pixel; the guide differs from it by 0.9 SEAM_FROM (13.8/255).
    expect(worstJump).toBeLessThan(6 / 255);
  });

  it('keeps the guide where the domain is framed by a colour far from it (hair), carrying only the light', () => {
    // A face-like guide framed by dark hair on the left half of the boundary and by skin 0.04 darker
    // than the guide on the right half.
    const skin = [0.8, 0.65, 0.55];
    const target = targetImage(() => 0);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const hair = x < size / 2;
        const value = hair ? [0.3, 0.2, 0.15] : skin.map((v) => v - 0.04);
        target.data.set([...value.map((v) => Math.round(v * 255)), 255], (y * size + x) * 4);
      }
    }
    const alpha = ovalAlpha(roi, false);
    const guide = guideFrom(roi, (_x, _y, c) => skin[c]!);
    const f = poissonSolve(target, roi, alpha, guide);
    const step = Math.max(...skin.map((v, c) => Math.abs(0.3 - v + (c === 0 ? 0 : c === 1 ? -0.1 : -0.15))));
    expect(step).toBeGreaterThan(SEAM_TO);
    let [leftWorst, rightLight] = [0, Infinity];
    alpha.forEach((a, i) => {
      if (!(a > 0)) return;
      const x = i % roi.width;
      for (let c = 0; c < 3; c++) {
        const moved = f[i * 4 + c]! - skin[c]!;
        // Nowhere does the hair's colour reach the face: it is never darker than the darker skin.
        leftWorst = Math.max(leftWorst, -moved);
        if (x >= roi.width - 4) rightLight = Math.min(rightLight, -moved);
      }
    });
    expect(leftWorst).toBeLessThanOrEqual(0.04 + 0.5 / 255);
    // Beside the skin half of the boundary the face takes the target's light (darker by about 0.04).
    expect(rightLight).toBeGreaterThan(0.02);
  });

  it('leaves f at the guide outside the domain', () => {
    const target = targetImage(pattern);
    const alpha = ovalAlpha(roi);
    const guide = guideFrom(roi, (x, y, c) => t(target, roi, x, y, c) + 0.05);
    const f = poissonSolve(target, roi, alpha, guide);
    alpha.forEach((a, i) => {
      if (!(a > 0))
        expect(Array.from(f.subarray(i * 4, i * 4 + 4))).toEqual(
          Array.from(guide.subarray(i * 4, i * 4 + 4)),
        );
    });
    expect(domainError(alpha, f, guide)).toBeGreaterThan(0.04);
  });
});
