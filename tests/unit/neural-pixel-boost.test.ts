import { describe, expect, it } from 'vitest';
import { alignedCrop, cropReference, type CropParams } from '../../src/gpu/reference/neural-crop';
import { mergeTilesReference } from '../../src/gpu/reference/neural-merge';
import type { RgbaImage } from '../../src/gpu/types';
import { mergePixelBoost } from '../../src/gpu/reference/neural-merge';
import { pixelBoostFactor } from '../../src/workers/neural/pixel-boost';

/** Bit-for-bit equality (vitest's deep equality is slow on million-element arrays). */
function sameBits(a: Float32Array, b: Float32Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(
    Buffer.from(b.buffer, b.byteOffset, b.byteLength),
  );
}

/** A side x side image whose pixel (x, y) is (y, x, (x + y) % 256), alpha 255 (side <= 256). */
function coordinates(side: number): RgbaImage {
  const data = new Uint8ClampedArray(side * side * 4);
  for (let y = 0; y < side; y++)
    for (let x = 0; x < side; x++) data.set([y, x, (x + y) % 256, 255], (y * side + x) * 4);
  return { width: side, height: side, data };
}

/** Pseudo-random bytes, so that no two tiles or planes look alike. */
function textured(width: number, height: number): RgbaImage {
  let seed = 12345;
  const data = Uint8ClampedArray.from({ length: width * height * 4 }, () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed >>> 24;
  });
  return { width, height, data };
}

/** A plain crop (step 1, phase 0) of `size` px through `toImage`, raw 0..255 samples. */
const plain = (toImage: CropParams['toImage'], size: number): CropParams => alignedCrop(toImage, size, 1, 0);

/** The k * k phase tiles of `params`, index phaseY * k + phaseX, as neural-swap crops them. */
function phaseTiles(image: RgbaImage, params: CropParams, k: number): Float32Array[] {
  const tileSize = params.size / k;
  const tiles: Float32Array[] = [];
  for (let phaseY = 0; phaseY < k; phaseY++)
    for (let phaseX = 0; phaseX < k; phaseX++)
      tiles.push(cropReference(image, { ...params, size: tileSize, step: k, phaseX, phaseY }));
  return tiles;
}

describe('pixelBoostFactor', () => {
  it('is the crop size over 128', () => {
    expect([128, 256, 512].map(pixelBoostFactor)).toEqual([1, 2, 4]);
    expect(() => pixelBoostFactor(200)).toThrow(RangeError);
    expect(() => pixelBoostFactor(0)).toThrow(RangeError);
  });
});

describe('pixel boost split (the crop with step k and phase (px, py))', () => {
  it('splits a 4x4 crop into 2x2 tiles by space-to-depth', () => {
    // Red plane of the 4x4 crop: pixel (x, y) = 4y + x, i.e. the row-major 0..15.
    const image: RgbaImage = {
      width: 4,
      height: 4,
      data: Uint8ClampedArray.from({ length: 64 }, (_, i) => (i % 4 === 0 ? i / 4 : 0)),
    };
    const tiles = phaseTiles(image, plain([1, 0, 0, 0, 1, 0], 4), 2);
    // Tile (py, px) holds pixels (2x + px, 2y + py); green and blue planes are zero.
    expect(tiles.map((t) => Array.from(t))).toEqual([
      [0, 2, 8, 10, 0, 0, 0, 0, 0, 0, 0, 0],
      [1, 3, 9, 11, 0, 0, 0, 0, 0, 0, 0, 0],
      [4, 6, 12, 14, 0, 0, 0, 0, 0, 0, 0, 0],
      [5, 7, 13, 15, 0, 0, 0, 0, 0, 0, 0, 0],
    ]);
  });

  it('tile (0, 0) of a 256-px crop holds the even rows and columns', () => {
    const tiles = phaseTiles(coordinates(256), plain([1, 0, 0, 0, 1, 0], 256), 2);
    expect(tiles).toHaveLength(4);
    const plane = 128 * 128;
    const rgb = (tile: Float32Array, x: number, y: number) =>
      [0, 1, 2].map((c) => tile[c * plane + y * 128 + x]);
    for (const [y, x] of [
      [0, 0],
      [0, 1],
      [5, 9],
      [127, 127],
    ] as const) {
      expect(rgb(tiles[0]!, x, y)).toEqual([2 * y, 2 * x, (2 * x + 2 * y) % 256]);
      expect(rgb(tiles[1]!, x, y)).toEqual([2 * y, 2 * x + 1, (2 * x + 1 + 2 * y) % 256]);
      expect(rgb(tiles[2]!, x, y)).toEqual([2 * y + 1, 2 * x, (2 * x + 2 * y + 1) % 256]);
      expect(rgb(tiles[3]!, x, y)).toEqual([2 * y + 1, 2 * x + 1, (2 * x + 2 * y + 2) % 256]);
    }
  });

  it.each([2, 3, 4])(
    'equals the plain crop sampled at (x*k + px, y*k + py) through a rotated, scaled affine (k = %i)',
    (k) => {
      const tileSize = 7;
      const side = k * tileSize;
      const image = textured(41, 37);
      // Reaches outside the image at some corners, so the replicated border is sampled too.
      const params: CropParams = {
        ...plain([0.8, -0.35, 9.3, 0.35, 0.8, -2.6], side),
        scale: 1 / 255,
      };
      const full = cropReference(image, params);
      const tiles = phaseTiles(image, params, k);
      const plane = tileSize * tileSize;
      for (let py = 0; py < k; py++) {
        for (let px = 0; px < k; px++) {
          const tile = tiles[py * k + px]!;
          const expected = new Float32Array(3 * plane);
          for (let c = 0; c < 3; c++)
            for (let y = 0; y < tileSize; y++)
              for (let x = 0; x < tileSize; x++)
                expected[c * plane + y * tileSize + x] =
                  full[c * side * side + (y * k + py) * side + x * k + px]!;
          expect(sameBits(tile, expected), `tile (${py}, ${px})`).toBe(true);
        }
      }
      // Distinct phases read distinct pixels.
      expect(sameBits(tiles[0]!, tiles[1]!)).toBe(false);
    },
  );
});

describe('pixel boost merge', () => {
  it('re-interleaves 2x2 tiles of a 4x4 crop (mergePixelBoost, one value per pixel)', () => {
    const tiles = [
      [0, 2, 8, 10],
      [1, 3, 9, 11],
      [4, 6, 12, 14],
      [5, 7, 13, 15],
    ].map((t) => Float32Array.from(t));
    expect(Array.from(mergePixelBoost(tiles, 2, 1, 2))).toEqual(Array.from({ length: 16 }, (_, i) => i));
  });

  it('mergeTilesReference of the 16 phase tiles reproduces the plain 512-px crop exactly', () => {
    const image = textured(300, 260);
    // A 512-px crop of a 260-px-high face region: scaled, rotated, partly off the image.
    const params: CropParams = {
      ...plain([0.45, -0.12, 40.5, 0.12, 0.45, 10.25], 512),
      scale: 1 / 255,
    };
    const tiles = phaseTiles(image, params, 4);
    expect(tiles).toHaveLength(16);
    expect(tiles.every((t) => t.length === 3 * 128 * 128)).toBe(true);
    const crop = cropReference(image, params);
    expect(sameBits(mergeTilesReference(tiles, 4), crop)).toBe(true);
    // A shuffled tile order must not round-trip.
    expect(sameBits(mergeTilesReference([...tiles].reverse(), 4), crop)).toBe(false);
  });

  it('rejects wrong sizes', () => {
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
