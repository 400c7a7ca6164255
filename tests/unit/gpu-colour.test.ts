import { describe, expect, it } from 'vitest';
import {
  colourGuide,
  colourRows,
  colourTransfer,
  gaussianWeights,
  MIN_BLUR_WEIGHT,
} from '../../src/gpu/reference/colour';
import { ramp } from '../../src/gpu/reference/polygon';
import type { RgbaImage } from '../../src/gpu/types';

const roi = { x: 6, y: 5, width: 84, height: 76 };
const image = { width: 100, height: 90 };
const centre = { x: 42, y: 38 };
const radii = { x: 36, y: 32 };
/** 0.1 x the face size, as faceGeometry derives it. */
const sigma = 0.1 * 2 * radii.x;

type Rgb = [number, number, number];

/** A face-like region in ROI pixels: covered inside an ellipse, alpha feathered over 6 px inwards. */
function ellipseFace(colour: (x: number, y: number) => Rgb) {
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
function targetImage(colour: (x: number, y: number) => Rgb): RgbaImage {
  const data = new Uint8ClampedArray(image.width * image.height * 4);
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      const rgb = colour(x - roi.x, y - roi.y).map((v) => Math.round(v * 255));
      data.set([...rgb, 255], (y * image.width + x) * 4);
    }
  }
  return { ...image, data };
}

function targetAt(target: RgbaImage, x: number, y: number, c: number): number {
  return target.data[((roi.y + y) * target.width + roi.x + x) * 4 + c]! / 255;
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
    const radius = gaussianWeights(sigma).length - 1;
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

  it('equals the direct 2-D normalised convolution over the ROI, clamped to 0..1', () => {
    const { warp, alpha } = ellipseFace((x, y) => [
      0.5 + 0.4 * Math.sin(x * 1.3 + y),
      0.5 + 0.45 * Math.cos(x * y * 0.1),
      ((x * 7 + y * 3) % 11) / 10,
    ]);
    const target = targetImage((x, y) => [0.05 + 0.01 * (x % 9), 0.9 - 0.01 * (y % 13), 0.5]);
    const small = 2.5;
    const weights = gaussianWeights(small);
    const radius = weights.length - 1;
    const guide = colourGuide(warp, target, roi, colourRows(warp, target, roi, alpha, weights), weights);
    let compared = 0;
    let clamped = 0;
    for (let y = 0; y < roi.height; y += 3) {
      for (let x = 0; x < roi.width; x += 3) {
        const i = y * roi.width + x;
        if (warp[i * 4 + 3] === 0) continue;
        let sa = 0;
        const sw = [0, 0, 0];
        const st = [0, 0, 0];
        for (let dy = -radius; dy <= radius; dy++) {
          for (let dx = -radius; dx <= radius; dx++) {
            const [qx, qy] = [x + dx, y + dy];
            if (qx < 0 || qy < 0 || qx >= roi.width || qy >= roi.height) continue;
            const q = qy * roi.width + qx;
            const wa = weights[Math.abs(dx)]! * weights[Math.abs(dy)]! * alpha[q]!;
            sa += wa;
            for (let c = 0; c < 3; c++) {
              sw[c]! += wa * warp[q * 4 + c]!;
              st[c]! += wa * targetAt(target, qx, qy, c);
            }
          }
        }
        for (let c = 0; c < 3; c++) {
          const w = warp[i * 4 + c]!;
          const raw = sa > MIN_BLUR_WEIGHT ? w + (st[c]! - sw[c]!) / sa : w;
          if (raw < 0 || raw > 1) clamped++;
          expect(guide[i * 4 + c]).toBeCloseTo(Math.min(Math.max(raw, 0), 1), 5);
          compared++;
        }
      }
    }
    expect(compared).toBeGreaterThan(1000);
    expect(clamped).toBeGreaterThan(10);
  });
});
