import type { Roi } from '../face-geometry';
import type { RgbaImage } from '../types';
import { sampleBilinear } from './bilinear';

/**
 * Renders the source image's mesh triangles onto the target mesh inside the ROI.
 * Returns RGBA float32 per ROI pixel: rgb in 0..1 sampled from the source, a = 1 where a triangle
 * covers the pixel centre, everything 0 elsewhere.
 */
export function warpMesh(
  source: RgbaImage,
  sourcePoints: Float32Array,
  targetPoints: Float32Array,
  triangles: Uint32Array,
  roi: Roi,
): Float32Array {
  const out = new Float32Array(roi.width * roi.height * 4);
  for (let t = 0; t + 2 < triangles.length; t += 3) {
    const a = triangles[t]! * 2;
    const b = triangles[t + 1]! * 2;
    const c = triangles[t + 2]! * 2;
    const ax = targetPoints[a]! - roi.x;
    const ay = targetPoints[a + 1]! - roi.y;
    const bx = targetPoints[b]! - roi.x;
    const by = targetPoints[b + 1]! - roi.y;
    const cx = targetPoints[c]! - roi.x;
    const cy = targetPoints[c + 1]! - roi.y;
    const area = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
    if (area === 0 || !Number.isFinite(area)) continue;
    const minX = Math.max(0, Math.floor(Math.min(ax, bx, cx)));
    const maxX = Math.min(roi.width - 1, Math.ceil(Math.max(ax, bx, cx)));
    const minY = Math.max(0, Math.floor(Math.min(ay, by, cy)));
    const maxY = Math.min(roi.height - 1, Math.ceil(Math.max(ay, by, cy)));
    for (let y = minY; y <= maxY; y++) {
      const py = y + 0.5;
      for (let x = minX; x <= maxX; x++) {
        const px = x + 0.5;
        const wa = ((bx - px) * (cy - py) - (by - py) * (cx - px)) / area;
        const wb = ((cx - px) * (ay - py) - (cy - py) * (ax - px)) / area;
        const wc = 1 - wa - wb;
        if (wa < 0 || wb < 0 || wc < 0) continue;
        const u = wa * sourcePoints[a]! + wb * sourcePoints[b]! + wc * sourcePoints[c]!;
        const v = wa * sourcePoints[a + 1]! + wb * sourcePoints[b + 1]! + wc * sourcePoints[c + 1]!;
        const o = (y * roi.width + x) * 4;
        sampleBilinear(source, u, v, out, o);
        out[o + 3] = 1;
      }
    }
  }
  return out;
}
