import { describe, expect, it } from 'vitest';
import { erf } from '../../src/gpu/reference/erf';
import { alignedCrop, cropReference } from '../../src/gpu/reference/neural-crop';
import {
  boxMaskValue,
  modelMaskValue,
  pasteReference,
  pasteRegion,
  type BoxMask,
  type PasteParams,
} from '../../src/gpu/reference/neural-paste';
import type { RgbaImage } from '../../src/gpu/types';
import { invertAffine, type Affine } from '../../src/gpu/affine';

const defaults: BoxMask = { blur: 0.3, padding: [0, 0, 0, 0] };
const hard: BoxMask = { blur: 0, padding: [0, 0, 0, 0] };

function image(width: number, height: number, value: (x: number, y: number, c: number) => number): RgbaImage {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      for (let c = 0; c < 4; c++) data[(y * width + x) * 4 + c] = c === 3 ? 200 : value(x, y, c);
  return { width, height, data };
}
const texture = (x: number, y: number, c: number) => (x * 37 + y * 91 + c * 53 + ((x * y) % 17) * 7) % 256;
const copy = (frame: RgbaImage): RgbaImage => ({ ...frame, data: new Uint8ClampedArray(frame.data) });

/** The frame's own crop in the swapper's 0..1 range, and paste parameters that put it back. */
function ownCrop(frame: RgbaImage, toCrop: Affine, size: number, mask: BoxMask) {
  const crop = cropReference(frame, alignedCrop(invertAffine(toCrop), size, 1 / 255, 0));
  const params: PasteParams = {
    toCrop,
    size,
    outScale: 255,
    outOffset: 0,
    mask,
    amount: 1,
    region: pasteRegion(toCrop, size, frame.width, frame.height),
  };
  return { crop, params };
}

function maxByteDiff(a: RgbaImage, b: RgbaImage): number {
  let max = 0;
  for (let i = 0; i < a.data.length; i++) max = Math.max(max, Math.abs(a.data[i]! - b.data[i]!));
  return max;
}

describe('erf (Abramowitz-Stegun 7.1.26)', () => {
  it('matches known values to 1.5e-7 and is odd', () => {
    expect(Math.abs(erf(0.5) - 0.5204998778)).toBeLessThan(1.5e-7);
    expect(Math.abs(erf(1) - 0.8427007929)).toBeLessThan(1.5e-7);
    expect(Math.abs(erf(2) - 0.995322265)).toBeLessThan(1.5e-7);
    expect(Math.abs(erf(0))).toBeLessThan(1.5e-7);
    for (const x of [0.1, 0.5, 1, 3]) expect(erf(-x)).toBe(-erf(x));
  });
});

describe('boxMaskValue', () => {
  it('is 1 at the centre and 0.5 on the blurred edge (FaceFusion defaults at 128)', () => {
    expect(boxMaskValue(63.5, 63.5, 128, defaults)).toBeCloseTo(1, 6);
    // blur_amount = int(128 * 0.5 * 0.3) = 19, blur_area = 9: rows 0..8 are zeroed, the edge is at 8.5.
    expect(boxMaskValue(63.5, 8.5, 128, defaults)).toBeCloseTo(0.5, 6);
    expect(boxMaskValue(0, 63.5, 128, defaults)).toBeLessThan(0.05);
  });

  it('is symmetric', () => {
    for (const [u, v] of [
      [3.2, 40],
      [10, 11.7],
      [60, 1],
    ] as const) {
      const m = boxMaskValue(u, v, 128, defaults);
      expect(m).toBeGreaterThan(0);
      expect(boxMaskValue(127 - u, v, 128, defaults)).toBeCloseTo(m, 12);
      expect(boxMaskValue(u, 127 - v, 128, defaults)).toBeCloseTo(m, 12);
      expect(boxMaskValue(v, u, 128, defaults)).toBeCloseTo(m, 12);
    }
  });

  it('is 0 outside the crop square', () => {
    expect(boxMaskValue(-0.51, 60, 128, defaults)).toBe(0);
    expect(boxMaskValue(60, 127.51, 128, defaults)).toBe(0);
    expect(boxMaskValue(-0.49, 60, 128, defaults)).toBeGreaterThan(0);
  });

  it('is the hard box, one pixel in from each edge, without blur', () => {
    // blur_area = max(0 // 2, 1) = 1: pixels 1..8 of a 10-px crop are ones.
    expect([0.4, 0.5, 1, 8, 8.5, 8.6].map((u) => boxMaskValue(u, 5, 10, hard))).toEqual([0, 1, 1, 1, 1, 0]);
  });

  it('moves the edge by the padding, per side', () => {
    // 10% of 100 px on top only: rows 0..9 zeroed (more than blur_area), other sides unchanged.
    const top: BoxMask = { blur: 0, padding: [10, 0, 0, 0] };
    expect([9, 10, 98].map((v) => boxMaskValue(50, v, 100, top))).toEqual([0, 1, 1]);
    expect(boxMaskValue(1, 50, 100, top)).toBe(1);
    // Blurred: blur_area = 7 < 10, so the half-value point is at 9.5 on top and 6.5 at the bottom.
    const blurred: BoxMask = { blur: 0.3, padding: [10, 0, 0, 0] };
    expect(boxMaskValue(49.5, 9.5, 100, blurred)).toBeCloseTo(0.5, 6);
    expect(boxMaskValue(49.5, 99 - 6.5, 100, blurred)).toBeCloseTo(0.5, 6);
    // Right padding moves the right edge: 20% of 100 => columns 80..99 zeroed.
    const right: BoxMask = { blur: 0, padding: [0, 20, 0, 0] };
    expect([79, 80].map((u) => boxMaskValue(u, 50, 100, right))).toEqual([1, 0]);
  });

  it('matches a discrete Gaussian blur of the FaceFusion box', () => {
    // 1D profile of create_static_box_mask at 128 px: ones on 9..118, sigma 4.75, sampled taps.
    const sigma = 4.75;
    const discrete = (t: number) => {
      let sum = 0;
      let norm = 0;
      for (let j = -200; j < 328; j++) {
        const g = Math.exp(-((t - j) ** 2) / (2 * sigma * sigma));
        norm += g;
        if (j >= 9 && j <= 118) sum += g;
      }
      return sum / norm;
    };
    for (const t of [2, 6, 8.5, 11, 15, 63.5]) {
      expect(Math.abs(boxMaskValue(t, 63.5, 128, defaults) - discrete(t))).toBeLessThan(1e-3);
    }
  });
});

describe('pasteRegion', () => {
  it('is the crop square mapped into the frame, grown by a pixel and clipped', () => {
    expect(pasteRegion([1, 0, -5, 0, 1, -6], 10, 40, 40)).toEqual([3, 4, 14, 14]);
    expect(pasteRegion([1, 0, 0, 0, 1, 0], 10, 8, 40)).toEqual([0, 0, 8, 12]);
  });
});

describe('pasteReference', () => {
  it('leaves pixels with mask <= 0 byte-for-byte and marks exactly the others', () => {
    const frame = image(30, 30, texture);
    const toCrop: Affine = [1, 0, -8, 0, 1, -8];
    const crop = new Float32Array(3 * 10 * 10).fill(0.8);
    const params: PasteParams = {
      toCrop,
      size: 10,
      outScale: 255,
      outOffset: 0,
      mask: hard,
      amount: 1,
      region: [0, 0, 30, 30],
    };
    const out = copy(frame);
    const touched = new Uint8Array(900);
    pasteReference(out, crop, params, touched);
    for (let y = 0; y < 30; y++) {
      for (let x = 0; x < 30; x++) {
        const p = y * 30 + x;
        const inside = x >= 9 && x <= 16 && y >= 9 && y <= 16;
        expect(touched[p]).toBe(inside ? 1 : 0);
        const bytes = Array.from(out.data.subarray(p * 4, p * 4 + 4));
        expect(bytes).toEqual(
          inside ? [204, 204, 204, 200] : Array.from(frame.data.subarray(p * 4, p * 4 + 4)),
        );
      }
    }
    expect(() => pasteReference(copy(frame), crop, { ...params, region: [1, 0, 30, 30] })).toThrow(
      RangeError,
    );
    const none = copy(frame);
    const untouched = new Uint8Array(900);
    pasteReference(none, crop, { ...params, amount: 0 }, untouched);
    expect(none.data).toEqual(frame.data);
    expect(untouched.every((t) => t === 0)).toBe(true);
  });

  it('blends by the mask times amount and converts with outScale/outOffset (GFPGAN range)', () => {
    const frame = image(12, 12, () => 100);
    const crop = new Float32Array(3 * 12 * 12);
    crop.fill(0, 0, 144);
    crop.fill(-3, 144, 288);
    crop.fill(0.5, 288);
    const out = copy(frame);
    const params: PasteParams = {
      toCrop: [1, 0, 0, 0, 1, 0],
      size: 12,
      outScale: 127.5,
      outOffset: 127.5,
      mask: hard,
      amount: 0.5,
      region: [0, 0, 12, 12],
    };
    pasteReference(out, crop, params);
    // R: 0.5 * 127.5 + 0.5 * 100 = 113.75; G: clamped to 0 -> 50; B: 191.25 -> 145.625.
    expect(Array.from(out.data.subarray((6 * 12 + 6) * 4, (6 * 12 + 6) * 4 + 4))).toEqual([
      114, 50, 146, 200,
    ]);
  });

  it("with the frame's own crop at an integer offset leaves the frame as it was", () => {
    const frame = image(40, 36, texture);
    const { crop, params } = ownCrop(frame, [1, 0, -7, 0, 1, -5], 24, defaults);
    const out = copy(frame);
    pasteReference(out, crop, params);
    expect(maxByteDiff(out, frame)).toBeLessThanOrEqual(1);
  });

  it("with the frame's own rotated, scaled crop of a smooth image changes no byte by more than 1", () => {
    const frame = image(64, 64, (x, y, c) => Math.round(30 + 1.7 * x + 1.1 * y + 20 * c));
    const angle = 0.4;
    const s = 1.6;
    const cos = s * Math.cos(angle);
    const sin = s * Math.sin(angle);
    const toCrop: Affine = [cos, -sin, 10, sin, cos, -30];
    const { crop, params } = ownCrop(frame, toCrop, 48, defaults);
    const out = copy(frame);
    const touched = new Uint8Array(64 * 64);
    pasteReference(out, crop, params, touched);
    expect(touched.reduce((n, t) => n + t, 0)).toBeGreaterThan(500);
    expect(maxByteDiff(out, frame)).toBeLessThanOrEqual(1);
  });
});

describe('modelMaskValue', () => {
  it('samples the mask grid at ((u + 0.5) * side / size - 0.5, ...), bilinear, border replicated', () => {
    // A 4x4 mask whose value is 10 * row + column, over an 8-px crop: crop (u, v) reads (u / 2 - 0.25, v / 2 - 0.25).
    const mask = new Float32Array(16).map((_, i) => 10 * Math.floor(i / 4) + (i % 4));
    expect(modelMaskValue(mask, 4, 8, 3.5, 3.5)).toBeCloseTo(16.5, 6);
    expect(modelMaskValue(mask, 4, 8, 2.5, 0.5)).toBeCloseTo(1, 6);
    expect(modelMaskValue(mask, 4, 8, 0, 0)).toBe(0);
    expect(modelMaskValue(mask, 4, 8, 7, 7)).toBe(33);
    // Upsampling a 2x2 mask to a 2-px crop is the identity.
    expect(modelMaskValue(Float32Array.of(0, 1, 2, 3), 2, 2, 1, 0)).toBe(1);
  });
});

describe('pasteReference with model masks', () => {
  const frame = image(40, 36, texture);
  const toCrop: Affine = [0.9, 0.2, -6, -0.2, 0.9, -2];
  const crop = new Float32Array(3 * 24 * 24).map((_, i) => ((i * 7) % 23) / 23);
  const params: PasteParams = {
    toCrop,
    size: 24,
    outScale: 255,
    outOffset: 0,
    mask: defaults,
    amount: 0.9,
    region: pasteRegion(toCrop, 24, 40, 36),
  };
  const paste = (p: PasteParams, ...modelMasks: Float32Array[]) => {
    const out = copy(frame);
    const touched = new Uint8Array(40 * 36);
    pasteReference(out, crop, p, touched, modelMasks);
    return { out, touched };
  };

  it('of zeros leaves the frame byte-exact and touches nothing', () => {
    const { out, touched } = paste({ ...params, modelMasks: [{ side: 32 }] }, new Float32Array(32 * 32));
    expect(out.data).toEqual(frame.data);
    expect(touched.every((t) => t === 0)).toBe(true);
  });

  it('of ones equals the box-only paste', () => {
    const box = paste(params);
    const ones = paste({ ...params, modelMasks: [{ side: 16 }] }, new Float32Array(16 * 16).fill(1));
    expect(box.touched.some((t) => t === 1)).toBe(true);
    expect(ones.out.data).toEqual(box.out.data);
    expect(ones.touched).toEqual(box.touched);
  });

  /** A flat 12x12 frame of 100s and a 12-px identity paste over all of it, with these model masks. */
  const flatPaste = (modelMasks: PasteParams['modelMasks']) => {
    const flat = image(12, 12, () => 100);
    const out = { ...flat, data: new Uint8ClampedArray(flat.data) };
    const p: PasteParams = {
      toCrop: [1, 0, 0, 0, 1, 0],
      size: 12,
      outScale: 255,
      outOffset: 0,
      mask: hard,
      amount: 1,
      region: [0, 0, 12, 12],
      modelMasks,
    };
    return { out, p };
  };

  it('takes the minimum of the box and the model mask', () => {
    const { out, p } = flatPaste([{ side: 6 }]);
    // Left half of the mask 0.5, right half 2 (above the box's 1).
    const mask = new Float32Array(36).map((_, i) => (i % 6 < 3 ? 0.5 : 2));
    pasteReference(out, new Float32Array(3 * 144).fill(0.8), p, undefined, [mask]);
    const byte = (x: number, y: number) => out.data[(y * 12 + x) * 4]!;
    // 0.5 * 204 + 0.5 * 100 = 152 on the left; the box's 1 gives 204 on the right; 0 outside the box.
    expect([byte(2, 5), byte(9, 5), byte(0, 5), byte(11, 5)]).toEqual([152, 204, 100, 100]);
  });

  it('takes the per-pixel minimum of the box and every model mask (an occlusion and a region mask)', () => {
    const { out, p } = flatPaste([{ side: 12 }, { side: 6 }]);
    // The first (12 px) covers the top rows 0..3; the second (6 px) excludes the left half.
    const occlusion = new Float32Array(144).map((_, i) => (i < 4 * 12 ? 0 : 1));
    const region = new Float32Array(36).map((_, i) => (i % 6 < 3 ? 0 : 1));
    const touched = new Uint8Array(144);
    pasteReference(out, new Float32Array(3 * 144).fill(0.8), p, touched, [occlusion, region]);
    const byte = (x: number, y: number) => out.data[(y * 12 + x) * 4]!;
    // Covered by the first, excluded by the second: the target's 100; both allow: the swap's 204.
    expect([byte(9, 2), byte(2, 8), byte(9, 8)]).toEqual([100, 100, 204]);
    expect([touched[2 * 12 + 9], touched[8 * 12 + 2], touched[8 * 12 + 9]]).toEqual([0, 0, 1]);
    // Each alone lets through what the other keeps.
    const alone = (masks: Float32Array[], sides: { side: number }[]) => {
      const single = flatPaste(sides);
      pasteReference(single.out, new Float32Array(3 * 144).fill(0.8), single.p, undefined, masks);
      const frame = single.out;
      return [frame.data[(2 * 12 + 9) * 4], frame.data[(8 * 12 + 2) * 4]];
    };
    expect(alone([occlusion], [{ side: 12 }])).toEqual([100, 204]);
    expect(alone([region], [{ side: 6 }])).toEqual([204, 100]);
  });

  it('rejects mask values without modelMasks, modelMasks without values, a short mask, and a third mask', () => {
    expect(() => paste(params, new Float32Array(16))).toThrow(RangeError);
    expect(() => paste({ ...params, modelMasks: [{ side: 4 }] })).toThrow(RangeError);
    expect(() => paste({ ...params, modelMasks: [{ side: 4 }] }, new Float32Array(15))).toThrow(RangeError);
    const four = new Float32Array(16);
    expect(() => paste({ ...params, modelMasks: [{ side: 4 }, { side: 4 }] }, four)).toThrow(RangeError);
    expect(() =>
      paste({ ...params, modelMasks: [{ side: 4 }, { side: 4 }, { side: 4 }] }, four, four, four),
    ).toThrow(RangeError);
  });
});
