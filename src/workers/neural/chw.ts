/**
 * Packs interleaved RGBA bytes (row-major, 4 bytes per pixel, alpha ignored) into a planar
 * 3 x height x width Float32Array in R, G, B order, each value mapped to (x - mean) / std.
 * This is what OpenCV's `blobFromImage(image, 1 / std, size, (mean, mean, mean), swapRB=True)`
 * produces in insightface, so the models see RGB.
 */
export function rgbaToChw(
  rgba: ArrayLike<number>,
  width: number,
  height: number,
  mean: number,
  std: number,
): Float32Array {
  const plane = width * height;
  if (rgba.length !== plane * 4) {
    throw new RangeError(`expected ${plane * 4} RGBA bytes for ${width}x${height}, got ${rgba.length}`);
  }
  const out = new Float32Array(plane * 3);
  for (let i = 0; i < plane; i++) {
    for (let c = 0; c < 3; c++) out[c * plane + i] = ((rgba[i * 4 + c] as number) - mean) / std;
  }
  return out;
}
