import { describe, expect, it } from 'vitest';
import {
  alignedCrop,
  cropReference,
  meanStdNormalisation,
  type CropParams,
} from '../../src/gpu/reference/neural-crop';
import type { RgbaImage } from '../../src/gpu/types';

/** A 4x3 image whose channel c of pixel (x, y) is 10 * (x + 4y) + c, alpha 255. */
function image(): RgbaImage {
  const data = new Uint8ClampedArray(4 * 3 * 4);
  for (let p = 0; p < 12; p++) data.set([10 * p, 10 * p + 1, 10 * p + 2, 255], p * 4);
  return { width: 4, height: 3, data };
}
const pixel = (x: number, y: number, c: number) => 10 * (x + 4 * y) + c;

const plain: CropParams = alignedCrop([1, 0, 0, 0, 1, 0], 3, 1, 0);

/** Value of channel c at output (x, y) of a planar 3 x size x size tensor. */
const at = (tensor: Float32Array, size: number, c: number, x: number, y: number) =>
  tensor[c * size * size + y * size + x]!;

describe('cropReference', () => {
  it('with the identity and step 1 returns the pixels, scaled, in RGB planes', () => {
    const out = cropReference(image(), { ...plain, scale: 1 / 255 });
    expect(out).toHaveLength(27);
    for (let c = 0; c < 3; c++)
      for (let y = 0; y < 3; y++)
        for (let x = 0; x < 3; x++) expect(at(out, 3, c, x, y)).toBeCloseTo(pixel(x, y, c) / 255, 6);
  });

  it('applies scale and offset to the 0..255 sample (SCRFD normalisation)', () => {
    const out = cropReference(image(), { ...plain, scale: 1 / 128, offset: -127.5 / 128 });
    expect(at(out, 3, 2, 1, 2)).toBeCloseTo((pixel(1, 2, 2) - 127.5) / 128, 6);
  });

  it('averages neighbours at a half-pixel shift', () => {
    const out = cropReference(image(), { ...plain, toImage: [1, 0, 0.5, 0, 1, 0.5], size: 2 });
    const mean = (x: number, y: number, c: number) =>
      (pixel(x, y, c) + pixel(x + 1, y, c) + pixel(x, y + 1, c) + pixel(x + 1, y + 1, c)) / 4;
    expect(at(out, 2, 0, 0, 0)).toBeCloseTo(mean(0, 0, 0), 6);
    expect(at(out, 2, 1, 1, 1)).toBeCloseTo(mean(1, 1, 1), 6);
  });

  it("replicates the edge with 'replicate' and reads 0 outside with 'zero'", () => {
    const shifted = { ...plain, toImage: [1, 0, -1, 0, 1, 0] as const, scale: 1 / 127.5, offset: -1 };
    const replicate = cropReference(image(), shifted);
    const zero = cropReference(image(), { ...shifted, border: 'zero' });
    expect(at(replicate, 3, 1, 0, 2)).toBeCloseTo(pixel(0, 2, 1) / 127.5 - 1, 6);
    expect(at(zero, 3, 1, 0, 2)).toBeCloseTo(-1, 6);
    expect(at(zero, 3, 1, 2, 2)).toBeCloseTo(pixel(1, 2, 1) / 127.5 - 1, 6);
    // Half a pixel outside, one of the two taps is the zero border.
    const half = cropReference(image(), { ...plain, toImage: [1, 0, -0.5, 0, 1, 0], border: 'zero' });
    expect(at(half, 3, 0, 0, 1)).toBeCloseTo(pixel(0, 1, 0) / 2, 6);
    // Below the image, both rows of taps are outside.
    const below = cropReference(image(), { ...plain, toImage: [1, 0, 0, 0, 1, 3], border: 'zero' });
    expect(Array.from(below)).toEqual(new Array(27).fill(0));
  });

  it('samples the grid point (x*step + phaseX, y*step + phaseY)', () => {
    const out = cropReference(image(), { ...plain, size: 2, step: 2, phaseX: 1, phaseY: 0 });
    expect([at(out, 2, 0, 0, 0), at(out, 2, 0, 1, 0), at(out, 2, 0, 0, 1)]).toEqual([
      pixel(1, 0, 0),
      pixel(3, 0, 0),
      pixel(1, 2, 0),
    ]);
  });

  it('maps grid points through toImage (a 90-degree rotation)', () => {
    // (gx, gy) -> (gy, 2 - gx): output (x, y) reads image (y, 2 - x).
    const out = cropReference(image(), { ...plain, toImage: [0, 1, 0, -1, 0, 2] });
    expect(at(out, 3, 0, 0, 1)).toBe(pixel(1, 2, 0));
    expect(at(out, 3, 2, 2, 0)).toBe(pixel(0, 0, 2));
  });

  it("writes channels last with layout 'nhwc' and swaps to BGR with bgr", () => {
    const nhwc = cropReference(image(), { ...plain, layout: 'nhwc' });
    const bgr = cropReference(image(), { ...plain, bgr: true });
    const both = cropReference(image(), { ...plain, layout: 'nhwc', bgr: true });
    // Output pixel (2, 1) is image pixel 6: bytes 60, 61, 62.
    const o = 1 * 3 + 2;
    expect(Array.from(nhwc.subarray(3 * o, 3 * o + 3))).toEqual([60, 61, 62]);
    expect([at(bgr, 3, 0, 2, 1), at(bgr, 3, 1, 2, 1), at(bgr, 3, 2, 2, 1)]).toEqual([62, 61, 60]);
    expect(Array.from(both.subarray(3 * o, 3 * o + 3))).toEqual([62, 61, 60]);
    expect(Array.from(both.subarray(0, 6))).toEqual([2, 1, 0, 12, 11, 10]);
  });

  it('normalises each tensor channel with its own scale and offset (after the BGR swap)', () => {
    const out = cropReference(image(), { ...plain, scale: [1, 2, 3], offset: [-1, 0, 1] });
    expect([at(out, 3, 0, 1, 0), at(out, 3, 1, 1, 0), at(out, 3, 2, 1, 0)]).toEqual([9, 22, 37]);
    const bgr = cropReference(image(), { ...plain, bgr: true, scale: [1, 2, 3], offset: [-1, 0, 1] });
    expect([at(bgr, 3, 0, 1, 0), at(bgr, 3, 1, 1, 0), at(bgr, 3, 2, 1, 0)]).toEqual([11, 22, 31]);
  });

  it('turns a mean/std normalisation into scale and offset (BiSeNet)', () => {
    const mean = [0.485, 0.456, 0.406] as const;
    const std = [0.229, 0.224, 0.225] as const;
    const out = cropReference(image(), { ...plain, ...meanStdNormalisation(mean, std) });
    for (let c = 0; c < 3; c++) {
      expect(at(out, 3, c, 2, 2)).toBeCloseTo((pixel(2, 2, c) / 255 - mean[c]!) / std[c]!, 6);
    }
  });

  it('rejects a grid that is not whole pixels', () => {
    expect(() => cropReference(image(), { ...plain, step: 0 })).toThrow(RangeError);
    expect(() => cropReference(image(), { ...plain, size: 2.5 })).toThrow(RangeError);
    expect(() => cropReference(image(), { ...plain, phaseX: -1 })).toThrow(RangeError);
  });
});
