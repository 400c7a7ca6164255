import type { FaceGeometry, PolygonRange } from '../face-geometry';
import { ramp, signedInsideDistance } from './polygon';

/**
 * Weights below this are set to 0. Such a pixel could not change a byte of the output anyway
 * (alpha * 255 < 0.5), and cutting them keeps the Poisson domain identical on every rasterizer:
 * pixel centres on the mesh outline, where coverage depends on rounding, lie on the oval, where
 * the feather ramp is ~0.
 */
export const MIN_ALPHA = 1 / 512;

/**
 * Blend weight per ROI pixel: the oval feathered inwards by featherPx, with the kept mouth and eyes
 * cut out (feathered by featherPx / 2), times the warp's coverage (warp alpha channel); 0 below
 * MIN_ALPHA.
 */
export function faceMask(warp: Float32Array, geometry: FaceGeometry): Float32Array {
  const { roi, polygons, featherPx } = geometry;
  const holes = [geometry.mouth, geometry.leftEye, geometry.rightEye].filter((range) => range.count >= 3);
  const alpha = new Float32Array(roi.width * roi.height);
  const inside = (px: number, py: number, range: PolygonRange) =>
    signedInsideDistance(px, py, polygons, range.start, range.count);
  for (let y = 0; y < roi.height; y++) {
    const py = roi.y + y + 0.5;
    for (let x = 0; x < roi.width; x++) {
      const i = y * roi.width + x;
      const coverage = warp[i * 4 + 3]!;
      if (coverage <= 0) continue;
      const px = roi.x + x + 0.5;
      let a = coverage * ramp(featherPx, inside(px, py, geometry.oval));
      for (const hole of holes) {
        if (a <= 0) break;
        a *= ramp(featherPx * 0.5, -inside(px, py, hole));
      }
      alpha[i] = a >= MIN_ALPHA ? a : 0;
    }
  }
  return alpha;
}
