/**
 * Pixel boost as FaceFusion does it (`implode_pixel_boost` / `explode_pixel_boost` in
 * facefusion/processors/modules/face_swapper.py): a face crop of (s * 128) px is split by
 * space-to-depth into s^2 tiles of 128 px that the 128-px swapper runs on one by one, then the
 * swapped tiles are re-interleaved. Tile (i, j), index i * s + j, holds the crop's pixels
 * (y * s + i, x * s + j) for y, x in 0..127.
 *
 * Pixels are interleaved with `channels` values each (4 for RGBA, 3 for RGB); a planar CHW tensor
 * is handled one plane at a time with channels = 1.
 */

/** The swapper's input side: inswapper_128. */
export const SWAPPER_SIZE = 128;

/** The boost factor s for a pixel-boost crop size (256 -> 2, 512 -> 4; 128 -> 1, no boost). */
export function pixelBoostFactor(cropSize: number): number {
  const s = cropSize / SWAPPER_SIZE;
  if (!Number.isInteger(s) || s < 1)
    throw new RangeError(`pixel boost size must be a multiple of 128, got ${cropSize}`);
  return s;
}

/** Splits an (s * tile)^2 crop into s^2 tiles of tile x tile pixels, tile (i, j) at index i * s + j. */
export function splitPixelBoost(
  crop: Float32Array,
  s: number,
  channels: number,
  tile = SWAPPER_SIZE,
): Float32Array[] {
  const side = s * tile;
  if (crop.length !== side * side * channels) throw new RangeError(`expected a ${side}x${side} crop`);
  const tiles: Float32Array[] = [];
  for (let i = 0; i < s; i++) {
    for (let j = 0; j < s; j++) {
      const out = new Float32Array(tile * tile * channels);
      for (let y = 0; y < tile; y++) {
        for (let x = 0; x < tile; x++) {
          const from = ((y * s + i) * side + (x * s + j)) * channels;
          const to = (y * tile + x) * channels;
          for (let c = 0; c < channels; c++) out[to + c] = crop[from + c] as number;
        }
      }
      tiles.push(out);
    }
  }
  return tiles;
}

/** The inverse of `splitPixelBoost`: re-interleaves s^2 tiles into one (s * tile)^2 crop. */
export function mergePixelBoost(
  tiles: readonly Float32Array[],
  s: number,
  channels: number,
  tile = SWAPPER_SIZE,
): Float32Array {
  if (tiles.length !== s * s) throw new RangeError(`expected ${s * s} tiles, got ${tiles.length}`);
  const side = s * tile;
  const crop = new Float32Array(side * side * channels);
  tiles.forEach((t, index) => {
    if (t.length !== tile * tile * channels) throw new RangeError(`tile ${index} is not ${tile}x${tile}`);
    const i = Math.floor(index / s);
    const j = index % s;
    for (let y = 0; y < tile; y++) {
      for (let x = 0; x < tile; x++) {
        const from = (y * tile + x) * channels;
        const to = ((y * s + i) * side + (x * s + j)) * channels;
        for (let c = 0; c < channels; c++) crop[to + c] = t[from + c] as number;
      }
    }
  });
  return crop;
}
