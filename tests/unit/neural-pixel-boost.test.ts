import { describe, expect, it } from 'vitest';
import { mergePixelBoost, pixelBoostFactor, splitPixelBoost } from '../../src/workers/neural/pixel-boost';

/** Bit-for-bit equality (vitest's deep equality is slow on million-element arrays). */
function sameBits(a: Float32Array, b: Float32Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(
    Buffer.from(b.buffer, b.byteOffset, b.byteLength),
  );
}

describe('pixelBoostFactor', () => {
  it('is the crop size over 128', () => {
    expect([128, 256, 512].map(pixelBoostFactor)).toEqual([1, 2, 4]);
    expect(() => pixelBoostFactor(200)).toThrow(RangeError);
    expect(() => pixelBoostFactor(0)).toThrow(RangeError);
  });
});

describe('pixel boost tiles', () => {
  it('splits a 4x4 crop into 2x2 tiles by space-to-depth', () => {
    const crop = Float32Array.from({ length: 16 }, (_, i) => i);
    const tiles = splitPixelBoost(crop, 2, 1, 2).map((t) => Array.from(t));
    // Tile (i, j) holds pixels (2y + i, 2x + j) of the row-major 0..15 crop.
    expect(tiles).toEqual([
      [0, 2, 8, 10],
      [1, 3, 9, 11],
      [4, 6, 12, 14],
      [5, 7, 13, 15],
    ]);
  });

  it('tile (0, 0) of a 256-px RGB crop holds the even rows and columns', () => {
    const side = 256;
    const crop = new Float32Array(side * side * 3);
    for (let y = 0; y < side; y++) {
      for (let x = 0; x < side; x++) crop.set([y, x, y * 1000 + x], (y * side + x) * 3);
    }
    const tiles = splitPixelBoost(crop, 2, 3);
    expect(tiles).toHaveLength(4);
    const tile00 = tiles[0]!;
    const tile01 = tiles[1]!;
    const tile10 = tiles[2]!;
    for (const [y, x] of [
      [0, 0],
      [0, 1],
      [5, 9],
      [127, 127],
    ] as const) {
      const at = (y * 128 + x) * 3;
      expect(Array.from(tile00.subarray(at, at + 3))).toEqual([2 * y, 2 * x, 2 * y * 1000 + 2 * x]);
      expect(Array.from(tile01.subarray(at, at + 2))).toEqual([2 * y, 2 * x + 1]);
      expect(Array.from(tile10.subarray(at, at + 2))).toEqual([2 * y + 1, 2 * x]);
    }
  });

  it('merges back exactly (round trip) at 512 px RGBA', () => {
    let seed = 12345;
    const crop = Float32Array.from({ length: 512 * 512 * 4 }, () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    });
    const tiles = splitPixelBoost(crop, 4, 4);
    expect(tiles).toHaveLength(16);
    expect(tiles.every((t) => t.length === 128 * 128 * 4)).toBe(true);
    expect(sameBits(mergePixelBoost(tiles, 4, 4), crop)).toBe(true);
    const again = splitPixelBoost(mergePixelBoost(tiles, 4, 4), 4, 4);
    expect(again.every((t, k) => sameBits(t, tiles[k]!))).toBe(true);
    // A shuffled tile order must not round-trip.
    expect(sameBits(mergePixelBoost([...tiles].reverse(), 4, 4), crop)).toBe(false);
  });

  it('rejects wrong sizes', () => {
    expect(() => splitPixelBoost(new Float32Array(100), 2, 1)).toThrow(RangeError);
    expect(() => mergePixelBoost([new Float32Array(128 * 128)], 2, 1)).toThrow(RangeError);
    expect(() =>
      mergePixelBoost(
        Array.from({ length: 4 }, () => new Float32Array(10)),
        2,
        1,
      ),
    ).toThrow(RangeError);
  });
});
