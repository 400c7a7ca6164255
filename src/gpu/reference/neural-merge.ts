import { mergePixelBoost } from '../../workers/neural/pixel-boost';

/**
 * Depth-to-space: re-interleaves k*k planar 3 x tileSize x tileSize tensors (tile index
 * phaseY * k + phaseX, as the crop's space-to-depth sampled them) into one 3 x (k*tileSize)^2
 * tensor: merged[c][y*k + py][x*k + px] = tiles[py*k + px][c][y][x]. The index math is
 * pixel-boost's, applied one colour plane at a time.
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
