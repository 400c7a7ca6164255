import { describe, expect, it } from 'vitest';
import { poissonRhs, poissonSolve } from '../../src/gpu/reference/poisson';
import type { RgbaImage } from '../../src/gpu/types';

const size = 40;
const roi = { x: 8, y: 6, width: 24, height: 26 };

function targetImage(value: (x: number, y: number) => number): RgbaImage {
  const data = new Uint8ClampedArray(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const v = value(x, y);
      data.set([v, 255 - v, v / 2, 255], (y * size + x) * 4);
    }
  }
  return { width: size, height: size, data };
}

/** A disc-shaped domain in the middle of the ROI. */
function discAlpha(): Float32Array {
  const alpha = new Float32Array(roi.width * roi.height);
  for (let y = 0; y < roi.height; y++) {
    for (let x = 0; x < roi.width; x++)
      if ((x - 12) ** 2 + (y - 13) ** 2 < 81) alpha[y * roi.width + x] = 0.5;
  }
  return alpha;
}

function guideFrom(value: (x: number, y: number, c: number) => number): Float32Array {
  const guide = new Float32Array(roi.width * roi.height * 4);
  for (let y = 0; y < roi.height; y++) {
    for (let x = 0; x < roi.width; x++)
      for (let c = 0; c < 3; c++) guide[(y * roi.width + x) * 4 + c] = value(x, y, c);
  }
  return guide;
}

const pattern = (x: number, y: number) => 60 + 4 * x + 2 * y + 20 * Math.sin(x * 0.4 + y * 0.3);
const t = (image: RgbaImage, x: number, y: number, c: number) =>
  image.data[((roi.y + y) * size + roi.x + x) * 4 + c]! / 255;

/** Max over the domain of |4 f_p - sum of domain-neighbour f - rhs_p|, i.e. the discrete Poisson residual. */
function residual(alpha: Float32Array, rhs: Float32Array, f: Float32Array): number {
  let worst = 0;
  const offsets = [-1, 1, -roi.width, roi.width];
  alpha.forEach((a, i) => {
    if (!(a > 0)) return;
    for (let c = 0; c < 3; c++) {
      let sum = rhs[i * 4 + c]!;
      offsets.forEach((offset, k) => {
        if (rhs[i * 4 + 3]! & (1 << k)) sum += f[(i + offset) * 4 + c]!;
      });
      worst = Math.max(worst, Math.abs(4 * f[i * 4 + c]! - sum));
    }
  });
  return worst;
}

describe('Poisson blend (Jacobi)', () => {
  it("returns the boundary's values for a guide that is the target plus a constant", () => {
    const target = targetImage(pattern);
    const alpha = discAlpha();
    const guide = guideFrom((x, y, c) => t(target, x, y, c) + 0.2);
    const f = poissonSolve(target, roi, alpha, poissonRhs(target, roi, alpha, guide), guide, 1500);
    let maxError = 0;
    alpha.forEach((a, i) => {
      if (a > 0) {
        for (let c = 0; c < 3; c++) {
          maxError = Math.max(
            maxError,
            Math.abs(f[i * 4 + c]! - t(target, i % roi.width, Math.floor(i / roi.width), c)),
          );
        }
      }
    });
    expect(maxError).toBeLessThan(2e-3);
  });

  it('joins the target smoothly at the domain edge even when the guide is far off', () => {
    const target = targetImage((x, y) => 40 + 3 * x + y);
    const alpha = discAlpha();
    const guide = guideFrom(() => 0.95);
    const f = poissonSolve(target, roi, alpha, poissonRhs(target, roi, alpha, guide), guide, 1500);
    let worstJump = 0;
    for (let y = 1; y < roi.height - 1; y++) {
      for (let x = 1; x < roi.width - 1; x++) {
        const i = y * roi.width + x;
        if (!(alpha[i]! > 0)) continue;
        for (const j of [i - 1, i + 1, i - roi.width, i + roi.width]) {
          if (alpha[j]! > 0) continue;
          worstJump = Math.max(
            worstJump,
            Math.abs(f[i * 4]! - t(target, j % roi.width, Math.floor(j / roi.width), 0)),
          );
        }
      }
    }
    // The target changes by 3/255 per pixel; the guide differs from it by more than 0.5.
    expect(worstJump).toBeLessThan(6 / 255);
  });

  it('lowers the residual as iterations increase', () => {
    const target = targetImage(pattern);
    const alpha = discAlpha();
    const guide = guideFrom((x, y, c) => 0.3 + 0.2 * Math.sin(x * 0.5 + c) * Math.cos(y * 0.3));
    const rhs = poissonRhs(target, roi, alpha, guide);
    const residuals = [1, 10, 50, 300].map((n) =>
      residual(alpha, rhs, poissonSolve(target, roi, alpha, rhs, guide, n)),
    );
    for (let i = 1; i < residuals.length; i++) expect(residuals[i]!).toBeLessThan(residuals[i - 1]!);
    expect(residuals[3]!).toBeLessThan(residuals[0]! / 10);
  });

  it('leaves f at the guide with zero iterations and outside the domain', () => {
    const target = targetImage(pattern);
    const alpha = discAlpha();
    const guide = guideFrom((x) => x / 30);
    expect(poissonSolve(target, roi, alpha, poissonRhs(target, roi, alpha, guide), guide, 0)).toEqual(guide);
    const f = poissonSolve(target, roi, alpha, poissonRhs(target, roi, alpha, guide), guide, 20);
    expect(f[0]).toBe(guide[0]);
  });
});
