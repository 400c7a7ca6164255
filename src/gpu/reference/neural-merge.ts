/**
 * Pixel boost's merge (see src/workers/neural/pixel-boost.ts), depth-to-space: re-interleaves s^2
 * tiles of tile x tile pixels into one (s * tile)^2 crop, tile (i, j) at index i * s + j. Pixels are
 * interleaved with `channels` values each (4 for RGBA, 3 for RGB); a planar CHW tensor goes one
 * plane at a time with channels = 1.
 */
export function mergePixelBoost(
  tiles: readonly Float32Array[],
  s: number,
  channels: number,
  tile = 128,
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

/**
 * Depth-to-space: re-interleaves k*k planar 3 x tileSize x tileSize tensors (tile index
 * phaseY * k + phaseX, as the crop's space-to-depth sampled them) into one 3 x (k*tileSize)^2
 * tensor: merged[c][y*k + py][x*k + px] = tiles[py*k + px][c][y][x]: mergePixelBoost applied one
 * colour plane at a time.
 */
export function mergeTilesReference(tiles: readonly Float32Array[], k: number, tileSize = 128): Float32Array {
  const tilePlane = tileSize * tileSize;
  if (tiles.length !== k * k) throw new RangeError(`expected ${k * k} tiles, got ${tiles.length}`);
  if (tiles.some((tile) => tile.length !== 3 * tilePlane)) {
    throw new RangeError(`every tile must hold 3 x ${tileSize} x ${tileSize} values`);
  }
  const plane = k * k * tilePlane;
  const merged = new Float32Array(3 * plane);
  for (let c = 0; c < 3; c++) {
    const planes = tiles.map((tile) => tile.subarray(c * tilePlane, (c + 1) * tilePlane));
    merged.set(mergePixelBoost(planes, k, 1, tileSize), c * plane);
  }
  return merged;
}
