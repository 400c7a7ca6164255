import type { FaceGeometry } from '../face-geometry';
import { ramp, signedInsideDistance } from './polygon';

/**
 * Weights below this are set to 0. Such a pixel could not change a byte of the output anyway
 * (alpha * 255 < 0.5), and cutting them keeps the Poisson domain identical on every rasterizer:
 * pixel centres on the mesh outline, where coverage depends on rounding, lie on the oval, where
 * the feather ramp is ~0.
 */
export const MIN_ALPHA = 1 / 512;

/**
 * The blend domain per ROI pixel: the oval feathered inwards by featherPx, times the warp's coverage
 * (warp alpha channel); 0 below MIN_ALPHA. What is kept from the target inside it (the mouth and
 * eye holes, occluders) is faceKeep's, so the Poisson solve runs across those regions with the
 * target as their guide and is never pinned to their edges.
 */
export function faceMask(warp: Float32Array, geometry: FaceGeometry): Float32Array {
  const { roi, polygons, featherPx, oval } = geometry;
  const alpha = new Float32Array(roi.width * roi.height);
  for (let y = 0; y < roi.height; y++) {
    const py = roi.y + y + 0.5;
    for (let x = 0; x < roi.width; x++) {
      const i = y * roi.width + x;
      const coverage = warp[i * 4 + 3]!;
      if (coverage <= 0) continue;
      const px = roi.x + x + 0.5;
      const a = coverage * ramp(featherPx, signedInsideDistance(px, py, polygons, oval.start, oval.count));
      alpha[i] = a >= MIN_ALPHA ? a : 0;
    }
  }
  return alpha;
}
