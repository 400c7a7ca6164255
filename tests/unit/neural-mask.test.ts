import { describe, expect, it } from 'vitest';
import {
  DEFAULT_REGION_CLASSES,
  FACE_MASK_REGIONS,
  gaussianWeights,
  occlusionMaskReference,
  regionBits,
  regionMaskReference,
  REGION_CLASS_COUNT,
} from '../../src/gpu/reference/neural-mask';

/** 19 x side x side logits where pixel (x, y) has its largest logit at class classAt(x, y). */
function logits(side: number, classAt: (x: number, y: number) => number): Float32Array {
  const plane = side * side;
  const out = new Float32Array(REGION_CLASS_COUNT * plane);
  for (let y = 0; y < side; y++)
    for (let x = 0; x < side; x++)
      for (let c = 0; c < REGION_CLASS_COUNT; c++) {
        out[c * plane + y * side + x] = c === classAt(x, y) ? 3 : -((c * 7) % 5);
      }
  return out;
}

describe('gaussianWeights', () => {
  it('has radius ceil(3 sigma) and sums to 1 over both sides', () => {
    const w = gaussianWeights(5);
    expect(w).toHaveLength(16);
    expect(w[0]! + 2 * w.slice(1).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(w[5]! / w[0]!).toBeCloseTo(Math.exp(-0.5), 12);
  });
});

describe('occlusionMaskReference', () => {
  it('maps a constant through clamp to [0, 1], the blur (a no-op) and (clamp(b, 0.5, 1) - 0.5) * 2', () => {
    for (const [v, expected] of [
      [0.8, 0.6],
      [0.3, 0],
      [0.5, 0],
      [1.7, 1],
      [-0.5, 0],
      [0.95, 0.9],
    ] as const) {
      const mask = occlusionMaskReference(new Float32Array(32 * 32).fill(v), 32);
      expect(mask).toHaveLength(32 * 32);
      for (const m of mask) expect(m).toBeCloseTo(expected, 6);
    }
  });

  it('blurs an edge: 0 and 1 beyond the blur radius, 0 at the edge, monotonic across it', () => {
    const side = 64;
    const output = new Float32Array(side * side).map((_, i) => (i % side >= 32 ? 1 : 0));
    const mask = occlusionMaskReference(output, side);
    const row = Array.from(mask.subarray(10 * side, 11 * side));
    expect(row[16]).toBe(0);
    expect(row[31]).toBe(0);
    expect(row[47]).toBeCloseTo(1, 6);
    // Just right of the edge the blur is 0.5 + w0 / 2, which maps to w0.
    expect(row[32]).toBeCloseTo(gaussianWeights(5)[0]!, 6);
    for (let x = 1; x < side; x++) expect(row[x]!).toBeGreaterThanOrEqual(row[x - 1]!);
  });

  it('rejects a short output', () => {
    expect(() => occlusionMaskReference(new Float32Array(10), 4)).toThrow(RangeError);
  });
});

describe('regionMaskReference', () => {
  it("uses FaceFusion's region classes", () => {
    expect(FACE_MASK_REGIONS).toEqual({
      skin: 1,
      'left-eyebrow': 2,
      'right-eyebrow': 3,
      'left-eye': 4,
      'right-eye': 5,
      glasses: 6,
      nose: 10,
      mouth: 11,
      'upper-lip': 12,
      'lower-lip': 13,
    });
    expect(DEFAULT_REGION_CLASSES).toEqual([1, 2, 3, 4, 5, 6, 10, 11, 12, 13]);
  });

  it('is 1 where the argmax class is chosen and 0 elsewhere (constant maps)', () => {
    const side = 16;
    for (const c of [1, 6, 13]) {
      expect(
        regionMaskReference(
          logits(side, () => c),
          side,
          DEFAULT_REGION_CLASSES,
        ).every((m) => m === 1),
      ).toBe(true);
    }
    for (const c of [0, 7, 8, 9, 14, 17, 18]) {
      expect(
        regionMaskReference(
          logits(side, () => c),
          side,
          DEFAULT_REGION_CLASSES,
        ).every((m) => m === 0),
      ).toBe(true);
    }
    expect(
      regionMaskReference(
        logits(side, () => 17),
        side,
        [17],
      ).every((m) => m === 1),
    ).toBe(true);
  });

  it('takes the first class on ties, as numpy.argmax', () => {
    const side = 8;
    const tied = new Float32Array(REGION_CLASS_COUNT * side * side).fill(-1);
    tied.fill(2, 0, 2 * side * side); // classes 0 (background) and 1 (skin) tie
    expect(regionMaskReference(tied, side, [1]).every((m) => m === 0)).toBe(true);
    expect(regionMaskReference(tied, side, [0]).every((m) => m === 1)).toBe(true);
  });

  it('picks per pixel: nose on the left half, hair on the right, blurred across the edge', () => {
    const side = 64;
    const mask = regionMaskReference(
      logits(side, (x) => (x < 32 ? 10 : 17)),
      side,
      DEFAULT_REGION_CLASSES,
    );
    const row = Array.from(mask.subarray(40 * side, 41 * side));
    expect(row[0]).toBeCloseTo(1, 6);
    expect(row[16]).toBeCloseTo(1, 6);
    expect(row[32]).toBe(0);
    expect(row[63]).toBe(0);
    expect(row[31]).toBeCloseTo(gaussianWeights(5)[0]!, 6);
  });

  it('rejects classes outside 0..18 and short logits', () => {
    expect(() => regionBits([19])).toThrow(RangeError);
    expect(() => regionBits([-1])).toThrow(RangeError);
    expect(() => regionBits([1.5])).toThrow(RangeError);
    expect(regionBits([0, 18])).toBe(2 ** 18 + 1);
    expect(() => regionMaskReference(new Float32Array(19 * 15), 4, [1])).toThrow(RangeError);
  });
});
