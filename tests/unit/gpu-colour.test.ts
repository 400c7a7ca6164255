import { describe, expect, it } from 'vitest';
import {
  CELL_FLOATS,
  colourCells,
  colourGrid,
  colourTransfer,
  gaussianWeights,
  GRID_SIGMA,
  MAX_TAPS,
  MIN_BLUR_WEIGHT,
} from '../../src/gpu/reference/colour';
import { ramp } from '../../src/gpu/reference/polygon';
import type { RgbaImage } from '../../src/gpu/types';

/** A face-like scene: the ROI inside the image, and an ellipse (ROI pixels) that the warp covers. */
interface Scene {
  roi: { x: number; y: number; width: number; height: number };
  image: { width: number; height: number };
  centre: { x: number; y: number };
  radii: { x: number; y: number };
}

const small: Scene = {
  roi: { x: 6, y: 5, width: 84, height: 76 },
  image: { width: 100, height: 90 },
  centre: { x: 42, y: 38 },
  radii: { x: 36, y: 32 },
};
/** A face large enough for a colour grid 5x coarser than the ROI. */
const large: Scene = {
  roi: { x: 10, y: 4, width: 230, height: 210 },
  image: { width: 250, height: 220 },
  centre: { x: 115, y: 105 },
  radii: { x: 100, y: 92 },
};
const { roi, centre, radii } = small;
/** 0.1 x the face size, as faceGeometry derives it. */
const sigmaOf = (scene: Scene) => 0.1 * 2 * scene.radii.x;
const sigma = sigmaOf(small);

type Rgb = [number, number, number];

/** A face-like region in ROI pixels: covered inside the ellipse, alpha feathered over 6 px inwards. */
function ellipseFace(colour: (x: number, y: number) => Rgb, scene: Scene = small) {
  const { roi, centre, radii } = scene;
  const n = roi.width * roi.height;
  const warp = new Float32Array(n * 4);
  const alpha = new Float32Array(n);
  for (let y = 0; y < roi.height; y++) {
    for (let x = 0; x < roi.width; x++) {
      const e = Math.hypot((x + 0.5 - centre.x) / radii.x, (y + 0.5 - centre.y) / radii.y);
      if (e > 1) continue;
      const i = y * roi.width + x;
      warp.set([...colour(x, y), 1], i * 4);
      alpha[i] = ramp(6, (1 - e) * radii.y);
    }
  }
  return { warp, alpha };
}

/** A target image whose rgb (0..1, stored as bytes) at ROI pixel (x, y) is `colour(x, y)`. */
function targetImage(colour: (x: number, y: number) => Rgb, scene: Scene = small): RgbaImage {
  const { roi, image } = scene;
  const data = new Uint8ClampedArray(image.width * image.height * 4);
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      const rgb = colour(x - roi.x, y - roi.y).map((v) => Math.round(v * 255));
      data.set([...rgb, 255], (y * image.width + x) * 4);
    }
  }
  return { ...image, data };
}

function targetAt(target: RgbaImage, x: number, y: number, c: number, scene: Scene = small): number {
  return target.data[((scene.roi.y + y) * target.width + scene.roi.x + x) * 4 + c]! / 255;
}

/** Alpha-weighted mean of channel c of `values` (4 per ROI pixel) over the pixels where `where` holds. */
function weightedMean(
  values: (i: number, c: number) => number,
  alpha: Float32Array,
  c: number,
  where: (x: number, y: number) => boolean = () => true,
): number {
  let sum = 0;
  let weight = 0;
  alpha.forEach((a, i) => {
    if (a <= 0 || !where(i % roi.width, Math.floor(i / roi.width))) return;
    sum += a * values(i, c);
    weight += a;
  });
  return sum / weight;
}

const checker = (x: number, y: number) => ((x + y) % 2 === 0 ? 1 : -1);

/** Amplitude of the +-1 checkerboard in channel c over fully weighted pixels whose neighbours are too. */
function checkerAmplitude(values: Float32Array, alpha: Float32Array, c: number): number {
  let sum = 0;
  let count = 0;
  for (let y = 1; y < roi.height - 1; y++) {
    for (let x = 1; x < roi.width - 1; x++) {
      const i = y * roi.width + x;
      const around = [i - 1, i + 1, i - roi.width, i + roi.width];
      if (alpha[i] !== 1 || around.some((j) => alpha[j] !== 1)) continue;
      const mean = around.reduce((s, j) => s + values[j * 4 + c]!, 0) / 4;
      sum += (checker(x, y) * (values[i * 4 + c]! - mean)) / 2;
      count++;
    }
  }
  return sum / count;
}

/**
 * The colour transfer at full resolution, straight from its definition: Sa = G(a), SD = G(a*(T - W))
 * with G the separable Gaussian of `sigma` over the ROI (zero outside it), guide = clamp(W + SD / Sa)
 * where covered and Sa > MIN_BLUR_WEIGHT; `raw` before the clamp.
 */
function normalisedConvolution(
  warp: Float32Array,
  target: RgbaImage,
  alpha: Float32Array,
  faceSigma: number,
  scene: Scene,
) {
  const { width, height } = scene.roi;
  const weights = gaussianWeights(faceSigma);
  const radius = weights.length - 1;
  const moments = new Float64Array(width * height * 4);
  alpha.forEach((a, i) => {
    moments[i * 4] = a;
    for (let c = 0; c < 3; c++) {
      const t = targetAt(target, i % width, Math.floor(i / width), c, scene);
      moments[i * 4 + 1 + c] = a * (t - warp[i * 4 + c]!);
    }
  });
  const blur = (input: Float64Array, step: number, along: (i: number) => number, length: number) => {
    const output = new Float64Array(input.length);
    for (let i = 0; i < width * height; i++) {
      for (let k = -radius; k <= radius; k++) {
        const n = along(i) + k;
        if (n < 0 || n >= length) continue;
        for (let c = 0; c < 4; c++)
          output[i * 4 + c]! += weights[Math.abs(k)]! * input[(i + k * step) * 4 + c]!;
      }
    }
    return output;
  };
  const rows = blur(moments, 1, (i) => i % width, width);
  const sums = blur(rows, width, (i) => Math.floor(i / width), height);
  const raw = new Float64Array(width * height * 4);
  const guide = new Float64Array(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    for (let c = 0; c < 3; c++) {
      const w = warp[i * 4 + c]!;
      raw[i * 4 + c] = sums[i * 4]! > MIN_BLUR_WEIGHT ? w + sums[i * 4 + 1 + c]! / sums[i * 4]! : w;
      guide[i * 4 + c] = Math.min(Math.max(raw[i * 4 + c]!, 0), 1);
    }
  }
  return { raw, guide };
}

describe('gaussianWeights', () => {
  it('holds taps 0..ceil(3 sigma) of a Gaussian whose 2r + 1 taps sum to 1', () => {
    const weights = gaussianWeights(2.4);
    expect(weights.length).toBe(9);
    const sum = weights.reduce((s, w, k) => s + (k === 0 ? w : 2 * w), 0);
    expect(sum).toBeCloseTo(1, 6);
    weights.forEach((w, k) => expect(w / weights[0]!).toBeCloseTo(Math.exp(-(k * k) / (2 * 2.4 * 2.4)), 6));
    expect(gaussianWeights(1).length).toBe(4);
  });
});

describe('colourGrid', () => {
  it('averages over a factor tied to sigma, and blurs on the grid to total sigma', () => {
    for (const faceSigma of [1, 3.9, 4, 7.2, 12, 20, 49.4, 130]) {
      const grid = colourGrid({ x: 0, y: 0, width: 401, height: 500 }, faceSigma);
      expect(grid.factor).toBe(Math.max(1, Math.floor(faceSigma / GRID_SIGMA)));
      expect([grid.width, grid.height]).toEqual([Math.ceil(401 / grid.factor), Math.ceil(500 / grid.factor)]);
      // Box average and bilinear read-back add ~(factor^2 - 1) / 4 px^2 of variance.
      expect((grid.sigma * grid.factor) ** 2 + (grid.factor ** 2 - 1) / 4).toBeCloseTo(faceSigma ** 2, 6);
      expect(grid.sigma).toBeLessThan(2 * GRID_SIGMA);
      expect(gaussianWeights(grid.sigma).length).toBeLessThanOrEqual(MAX_TAPS);
    }
  });

  it('holds per cell the mean of a and a * (T - W) over its pixels, pixels past the ROI counting 0', () => {
    const { warp } = ellipseFace((x, y) => [0.3 + 0.004 * x, 0.6, 0.2 + 0.003 * y]);
    const alpha = new Float32Array(roi.width * roi.height).map((_, i) => (i % 7 === 0 ? 0 : 0.7));
    const target = targetImage((x, y) => [0.5, 0.1 + 0.005 * x, 0.7 - 0.002 * y]);
    const grid = colourGrid(roi, 20);
    expect(grid.factor).toBe(5);
    expect([roi.width % 5, roi.height % 5]).toEqual([4, 1]);
    const cells = colourCells(warp, target, roi, alpha, grid);
    for (const [cx, cy] of [
      [6, 7],
      [grid.width - 1, 12],
      [10, grid.height - 1],
    ] as const) {
      const want = [0, 0, 0, 0];
      for (let y = cy * 5; y < Math.min(cy * 5 + 5, roi.height); y++) {
        for (let x = cx * 5; x < Math.min(cx * 5 + 5, roi.width); x++) {
          const i = y * roi.width + x;
          want[0]! += alpha[i]! / 25;
          for (let c = 0; c < 3; c++) {
            want[1 + c]! += (alpha[i]! * (targetAt(target, x, y, c) - warp[i * 4 + c]!)) / 25;
          }
        }
      }
      const at = (cy * grid.width + cx) * CELL_FLOATS;
      want.forEach((value, c) => expect(cells[at + c]).toBeCloseTo(value, 6));
    }
  });
});

describe('low-frequency colour transfer', () => {
  it("removes the source's lighting ramp and keeps its fine detail", () => {
    // Lit orange from the left and blue from the right, over a uniformly lit target. The residual is
    // the normalised convolution's bias near the mask edge, where the average only reaches inwards
    // (~11% of a linear ramp at sigma = 0.1 x face size; measured 0.025 here).
    const { warp, alpha } = ellipseFace((x, y) => {
      const u = (x + 0.5 - centre.x) / (2 * radii.x);
      const detail = 0.05 * checker(x, y);
      return [0.45 - 0.4 * u + detail, 0.4 + detail, 0.35 + 0.4 * u + detail];
    });
    const target = targetImage(() => [0.6, 0.5, 0.45]);
    const guide = colourTransfer(warp, target, roi, alpha, sigma);
    const left = (x: number) => x + 0.5 < centre.x - radii.x / 3;
    const right = (x: number) => x + 0.5 > centre.x + radii.x / 3;
    for (let c = 0; c < 3; c++) {
      const spread = (values: Float32Array) =>
        Math.abs(
          weightedMean((i, k) => values[i * 4 + k]!, alpha, c, left) -
            weightedMean((i, k) => values[i * 4 + k]!, alpha, c, right),
        );
      if (c !== 1) expect(spread(warp)).toBeGreaterThan(0.2);
      expect(spread(guide)).toBeLessThan(0.03);
      expect(weightedMean((i, k) => guide[i * 4 + k]!, alpha, c)).toBeCloseTo(targetAt(target, 0, 0, c), 2);
      expect(checkerAmplitude(warp, alpha, c)).toBeCloseTo(0.05, 6);
      expect(Math.abs(checkerAmplitude(guide, alpha, c) / 0.05 - 1)).toBeLessThan(0.1);
    }
  });

  it('guides with the target where the warp does not cover, and with the warp far from the mask', () => {
    const { warp } = ellipseFace((x, y) => [0.2 + 0.005 * x, 0.7 - 0.004 * y, 0.5]);
    const alpha = new Float32Array(roi.width * roi.height);
    // Only a block on the left is weighted; the rest of the face is further than the kernel radius.
    for (let y = 30; y < 46; y++) for (let x = 8; x < 20; x++) alpha[y * roi.width + x] = 0.8;
    const target = targetImage((x, y) => [0.1 + 0.002 * x, 0.3, 0.9 - 0.003 * y]);
    const guide = colourTransfer(warp, target, roi, alpha, sigma);
    // Past the grid Gaussian's radius plus the box and the read-back, nothing of the block reaches.
    const grid = colourGrid(roi, sigma);
    const radius = (gaussianWeights(grid.sigma).length + 1) * grid.factor;
    let uncovered = 0;
    let far = 0;
    let near = 0;
    for (let y = 0; y < roi.height; y++) {
      for (let x = 0; x < roi.width; x++) {
        const i = y * roi.width + x;
        const g = Array.from(guide.subarray(i * 4, i * 4 + 3));
        if (warp[i * 4 + 3] === 0) {
          uncovered++;
          expect(g).toEqual([0, 1, 2].map((c) => Math.fround(targetAt(target, x, y, c))));
        } else if (x >= 20 + radius || y < 30 - radius || y >= 46 + radius) {
          far++;
          expect(g).toEqual(Array.from(warp.subarray(i * 4, i * 4 + 3)));
        } else if (alpha[i]! > 0) {
          near++;
          expect(g).not.toEqual(Array.from(warp.subarray(i * 4, i * 4 + 3)));
        }
      }
    }
    expect(Math.min(uncovered, far, near)).toBeGreaterThan(100);
  });

  it('removes a constant offset between the warped face and the target', () => {
    const texture = (x: number, y: number, phase: number) =>
      0.08 * Math.sin(x * 0.9 + phase) * Math.cos(y * 0.7);
    const { warp, alpha } = ellipseFace((x, y) => [
      0.55 + texture(x, y, 0),
      0.5 + texture(x, y, 1),
      0.45 + texture(x, y, 2),
    ]);
    const target = targetImage((x, y) => [
      0.4 + texture(y, x, 3),
      0.3 + texture(y, x, 4),
      0.25 + texture(y, x, 5),
    ]);
    const guide = colourTransfer(warp, target, roi, alpha, sigma);
    const targetValue = (i: number, c: number) =>
      targetAt(target, i % roi.width, Math.floor(i / roi.width), c);
    for (let c = 0; c < 3; c++) {
      const want = weightedMean(targetValue, alpha, c);
      expect(Math.abs(weightedMean((i, k) => warp[i * 4 + k]!, alpha, c) - want)).toBeGreaterThan(0.1);
      expect(Math.abs(weightedMean((i, k) => guide[i * 4 + k]!, alpha, c) - want)).toBeLessThan(0.01);
    }
  });

  it('equals the direct 2-D normalised convolution, clamped to 0..1, when sigma < GRID_SIGMA', () => {
    const { warp, alpha } = ellipseFace((x, y) => [
      0.5 + 0.4 * Math.sin(x * 1.3 + y),
      0.5 + 0.45 * Math.cos(x * y * 0.1),
      ((x * 7 + y * 3) % 11) / 10,
    ]);
    const target = targetImage((x, y) => [0.05 + 0.01 * (x % 9), 0.9 - 0.01 * (y % 13), 0.5]);
    const direct = normalisedConvolution(warp, target, alpha, 2.5, small);
    const guide = colourTransfer(warp, target, roi, alpha, 2.5);
    expect(colourGrid(roi, 2.5).factor).toBe(1);
    let compared = 0;
    let clamped = 0;
    for (let i = 0; i < roi.width * roi.height; i++) {
      if (warp[i * 4 + 3] === 0) continue;
      for (let c = 0; c < 3; c++) {
        if (direct.raw[i * 4 + c]! < 0 || direct.raw[i * 4 + c]! > 1) clamped++;
        expect(guide[i * 4 + c]).toBeCloseTo(direct.guide[i * 4 + c]!, 5);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(10000);
    expect(clamped).toBeGreaterThan(10);
  });

  it('stays within 1/255 of the full-resolution normalised convolution on a grid 5x coarser', () => {
    const { warp, alpha } = ellipseFace(
      (x, y) => [
        0.5 + 0.25 * Math.sin(x * 0.05) + 0.1 * Math.sin(x * 1.7 + y),
        0.45 + 0.2 * Math.cos(y * 0.04) + 0.1 * Math.cos(x * y * 0.01),
        0.4 + 0.002 * (x - y) + ((x * 7 + y * 3) % 11) / 50,
      ],
      large,
    );
    const target = targetImage(
      (x, y) => [0.7 - 0.002 * x + 0.05 * Math.sin(y), 0.3 + 0.15 * Math.sin(y * 0.03), 0.55 - 0.001 * y],
      large,
    );
    const faceSigma = sigmaOf(large);
    expect(colourGrid(large.roi, faceSigma).factor).toBe(5);
    const direct = normalisedConvolution(warp, target, alpha, faceSigma, large);
    const guide = colourTransfer(warp, target, large.roi, alpha, faceSigma);
    let worst = 0;
    let corrected = 0;
    for (let i = 0; i < large.roi.width * large.roi.height; i++) {
      if (warp[i * 4 + 3] === 0) continue;
      for (let c = 0; c < 3; c++) {
        worst = Math.max(worst, Math.abs(guide[i * 4 + c]! - direct.guide[i * 4 + c]!));
        corrected = Math.max(corrected, Math.abs(guide[i * 4 + c]! - warp[i * 4 + c]!));
      }
    }
    expect(worst).toBeLessThan(1 / 255);
    expect(worst).toBeGreaterThan(0);
    expect(corrected).toBeGreaterThan(0.2);
  });
});
