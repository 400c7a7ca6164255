import { describe, expect, it } from 'vitest';
import { alignedCrop, cropReference, type CropParams } from '../../src/gpu/reference/neural-crop';
import { mergeTilesReference } from '../../src/gpu/reference/neural-merge';
import type { RgbaImage } from '../../src/gpu/types';

function textured(width: number, height: number): RgbaImage {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < data.length; i++) data[i] = (i * 73 + ((i * i) % 97)) % 256;
  return { width, height, data };
}

describe('mergeTilesReference', () => {
  it('puts tile phaseY*k + phaseX at (y*k + phaseY, x*k + phaseX) of every plane', () => {
    // k = 2, 1x1 tiles: tile t holds 10t + c in plane c.
    const tiles = [0, 1, 2, 3].map((t) => Float32Array.of(10 * t, 10 * t + 1, 10 * t + 2));
    expect(Array.from(mergeTilesReference(tiles, 2, 1))).toEqual([
      0, 10, 20, 30, 1, 11, 21, 31, 2, 12, 22, 32,
    ]);
  });

  it.each([2, 3])('inverts the crop space-to-depth exactly (k = %i)', (k) => {
    const tileSize = 5;
    const side = k * tileSize;
    const frame = textured(23, 19);
    const params: CropParams = alignedCrop([0.6, -0.3, 6.2, 0.3, 0.6, 2.7], side, 1 / 127.5, -1);
    const tiles: Float32Array[] = [];
    for (let phaseY = 0; phaseY < k; phaseY++)
      for (let phaseX = 0; phaseX < k; phaseX++)
        tiles.push(cropReference(frame, { ...params, size: tileSize, step: k, phaseX, phaseY }));
    const merged = mergeTilesReference(tiles, k, tileSize);
    expect(Array.from(merged)).toEqual(Array.from(cropReference(frame, params)));
    expect(Array.from(mergeTilesReference([...tiles].reverse(), k, tileSize))).not.toEqual(
      Array.from(merged),
    );
  });

  it('rejects the wrong number or size of tiles', () => {
    const tile = new Float32Array(3 * 4);
    expect(() => mergeTilesReference([tile, tile, tile], 2, 2)).toThrow(RangeError);
    expect(() => mergeTilesReference([tile, tile, tile, new Float32Array(4)], 2, 2)).toThrow(RangeError);
  });
});
