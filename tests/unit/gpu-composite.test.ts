import { describe, expect, it } from 'vitest';
import { compositeFace, quantise } from '../../src/gpu/reference/composite';
import type { RgbaImage } from '../../src/gpu/types';

function target(): RgbaImage {
  const data = new Uint8ClampedArray(20 * 10 * 4);
  for (let i = 0; i < data.length; i++) data[i] = (i * 37 + 11) % 256;
  return { width: 20, height: 10, data };
}
const roi = { x: 3, y: 2, width: 8, height: 6 };

function inputs() {
  const n = roi.width * roi.height;
  const alpha = new Float32Array(n);
  const solution = new Float32Array(n * 4);
  for (let i = 0; i < n; i++) {
    alpha[i] = i % 3 === 0 ? 0 : (i % 5) / 4;
    solution.set([0.9, -0.2, 1.4, 0.5], i * 4);
  }
  return { alpha, solution };
}

describe('composite', () => {
  it('rounds like pack4x8unorm', () => {
    expect([0, 1, 0.5, -3, 7, 1 / 255, 0.5 / 255, 0.49 / 255].map(quantise)).toEqual([
      0, 255, 128, 0, 255, 1, 1, 0,
    ]);
  });

  it('leaves alpha-0 pixels byte-for-byte and marks exactly the alpha > 0 pixels', () => {
    const original = target();
    const output = target();
    const touched = new Uint8Array(200);
    const { alpha, solution } = inputs();
    compositeFace(output, touched, roi, alpha, solution, 1);
    for (let p = 0; p < 200; p++) {
      const x = (p % 20) - roi.x;
      const y = Math.floor(p / 20) - roi.y;
      const inRoi = x >= 0 && y >= 0 && x < roi.width && y < roi.height;
      const a = inRoi ? alpha[y * roi.width + x]! : 0;
      expect(touched[p]).toBe(a > 0 ? 1 : 0);
      expect(output.data[p * 4 + 3]).toBe(original.data[p * 4 + 3]);
      if (a === 0)
        expect(Array.from(output.data.subarray(p * 4, p * 4 + 4))).toEqual(
          Array.from(original.data.subarray(p * 4, p * 4 + 4)),
        );
      if (a === 1)
        expect(Array.from(output.data.subarray(p * 4, p * 4 + 3))).toEqual([
          quantise(Math.fround(0.9)),
          0,
          255,
        ]);
    }
  });

  it('mixes by alpha times strength, and strength 0 keeps the target', () => {
    const { alpha, solution } = inputs();
    const original = target();
    const output = target();
    compositeFace(output, new Uint8Array(200), roi, alpha, solution, 0.5);
    const i = 2;
    const p = (roi.y * 20 + roi.x + i) * 4;
    const t = original.data[p]! / 255;
    expect(output.data[p]).toBe(quantise(t + (Math.fround(0.9) - t) * alpha[i]! * 0.5));
    const unchanged = target();
    const touched = new Uint8Array(200);
    compositeFace(unchanged, touched, roi, alpha, solution, 0);
    expect(unchanged.data).toEqual(original.data);
    expect(touched.some((v) => v === 1)).toBe(true);
  });
});
