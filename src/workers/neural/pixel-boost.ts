/**
 * Pixel boost as FaceFusion does it (`implode_pixel_boost` / `explode_pixel_boost` in
 * facefusion/processors/modules/face_swapper.py): a face crop of (s * 128) px is split by
 * space-to-depth into s^2 tiles of 128 px that the 128-px swapper runs on one by one, then the
 * swapped tiles are re-interleaved. Tile (i, j), index i * s + j, holds the crop's pixels
 * (y * s + i, x * s + j) for y, x in 0..127.
 *
 * The split is not done here: the crop itself samples each tile directly (`CropParams` step s,
 * phase (j, i) in src/gpu/reference/neural-crop.ts and its GPU twin), and the merge is
 * `mergePixelBoost` in src/gpu/reference/neural-merge.ts. This module holds the boost factor.
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
