import { describe, expect, it } from 'vitest';
import { applyColourTransfer, colourTransfer } from '../../src/gpu/reference/colour';
import type { RgbaImage } from '../../src/gpu/types';

const roi = { x: 4, y: 2, width: 24, height: 20 };

function weightedStats(values: (i: number, c: number) => number, alpha: Float32Array) {
  const mean = [0, 0, 0];
  const std = [0, 0, 0];
  let weight = 0;
  alpha.forEach((w) => (weight += w));
  for (let c = 0; c < 3; c++) {
    alpha.forEach((w, i) => (mean[c]! += (w * values(i, c)) / weight));
    alpha.forEach((w, i) => (std[c]! += (w * (values(i, c) - mean[c]!) ** 2) / weight));
    std[c] = Math.sqrt(std[c]!);
  }
  return { mean, std };
}

function setup() {
  const n = roi.width * roi.height;
  const warp = new Float32Array(n * 4);
  const alpha = new Float32Array(n);
  const target: RgbaImage = { width: 32, height: 24, data: new Uint8ClampedArray(32 * 24 * 4) };
  for (let y = 0; y < 24; y++) {
    for (let x = 0; x < 32; x++) {
      const v = 0.5 + 0.1 * Math.sin(x * 0.7) * Math.cos(y * 0.5);
      target.data.set([v * 255, v * 200, 90 + x, 255], (y * 32 + x) * 4);
    }
  }
  for (let i = 0; i < n; i++) {
    const s = 0.3 + 0.12 * Math.sin(i * 0.37);
    warp.set([s, 0.6 - s * 0.5, 0.2 + 0.1 * Math.cos(i), 1], i * 4);
    alpha[i] = i % 7 === 0 ? 0 : 0.25 + 0.75 * ((i * 13) % 10) / 10;
  }
  return { warp, alpha, target };
}

describe('colour transfer', () => {
  it("moves the warped face's weighted mean and std to the target's", () => {
    const { warp, alpha, target } = setup();
    const transfer = colourTransfer(warp, target, roi, alpha);
    const guide = applyColourTransfer(warp, target, roi, transfer);
    const targetValue = (i: number, c: number) => {
      const x = roi.x + (i % roi.width);
      const y = roi.y + Math.floor(i / roi.width);
      return target.data[(y * target.width + x) * 4 + c]! / 255;
    };
    const want = weightedStats(targetValue, alpha);
    const got = weightedStats((i, c) => guide[i * 4 + c]!, alpha);
    const before = weightedStats((i, c) => warp[i * 4 + c]!, alpha);
    for (let c = 0; c < 3; c++) {
      expect(Math.abs(before.mean[c]! - want.mean[c]!)).toBeGreaterThan(0.05);
      expect(got.mean[c]).toBeCloseTo(want.mean[c]!, 4);
      const ratio = want.std[c]! / before.std[c]!;
      const expectedStd = before.std[c]! * Math.min(Math.max(ratio, 0.5), 2);
      expect(got.std[c]).toBeCloseTo(expectedStd, 4);
    }
    expect(transfer.ratio[0]).toBeLessThan(2);
  });

  it('clamps the std ratio to 0.5..2 and the guide to 0..1', () => {
    const { warp, alpha, target } = setup();
    for (let i = 0; i < alpha.length; i++) warp[i * 4 + 2] = 0.2 + 1e-4 * (i % 2);
    const transfer = colourTransfer(warp, target, roi, alpha);
    expect(transfer.ratio[2]).toBe(2);
    const guide = applyColourTransfer(warp, target, roi, transfer);
    expect(guide.every((v) => v >= 0 && v <= 1)).toBe(true);
  });

  it('uses the target as guide where the warp does not cover, and is neutral for an empty mask', () => {
    const { warp, target } = setup();
    warp[3] = 0;
    const transfer = colourTransfer(warp, target, roi, new Float32Array(roi.width * roi.height));
    expect(transfer).toEqual({ sourceMean: [0, 0, 0], ratio: [1, 1, 1], targetMean: [0, 0, 0] });
    const guide = applyColourTransfer(warp, target, roi, transfer);
    const t = (roi.y * target.width + roi.x) * 4;
    expect(Array.from(guide.subarray(0, 3))).toEqual(Array.from(target.data.subarray(t, t + 3)).map((v) => Math.fround(v / 255)));
    expect(guide[4]).toBeCloseTo(warp[4]!, 6);
  });
});
