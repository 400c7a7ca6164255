/**
 * Pixel boost as FaceFusion does it (`implode_pixel_boost` / `explode_pixel_boost` in
 * facefusion/processors/modules/face_swapper.py): a face crop of (s * 128) px is split by
 * space-to-depth into s^2 tiles of 128 px that the 128-px swapper runs on one by one, then the
 * swapped tiles are re-interleaved. Tile (i, j), index i * s + j, holds the crop's pixels
 * (y * s + i, x * s + j) for y, x in 0..127.
 *
 * The split is not done here: the crop itself samples each tile directly (`CropParams` step s,
 * phase (j, i) in src/gpu/reference/neural-crop.ts and its GPU twin). This module holds the
 * boost factor and the merge, which src/gpu/reference/neural-merge.ts applies to each colour
 * plane of the swapped tiles.
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

/**
 * Depth-to-space: re-interleaves s^2 tiles of tile x tile pixels into one (s * tile)^2 crop, tile
 * (i, j) at index i * s + j.
 */
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
