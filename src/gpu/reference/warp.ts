import type { Roi } from '../face-geometry';
import type { RgbaImage } from '../types';
import type { WarpPoints } from '../warp-points';
import { sampleBilinear } from './bilinear';

/**
 * Renders the source image's mesh triangles onto the target mesh inside the ROI.
 * Returns RGBA float32 per ROI pixel: rgb in 0..1 sampled from the source, a = 1 where a triangle
 * covers the pixel centre, everything 0 elsewhere. Where the source does not show a point's side
 * (points.shown below 1, interpolated across the triangle), the colour mixes towards the sample at
 * the mirrored points: the other half of the face, flipped.
 */
export function warpMesh(
  source: RgbaImage,
  points: WarpPoints,
  triangles: Uint32Array,
  roi: Roi,
): Float32Array {
  const out = new Float32Array(roi.width * roi.height * 4);
  const own = new Float32Array(3);
  const other = new Float32Array(3);
  const { target, source: from, mirrored, shown } = points;
  for (let t = 0; t + 2 < triangles.length; t += 3) {
    const [ia, ib, ic] = [triangles[t]!, triangles[t + 1]!, triangles[t + 2]!];
    const [a, b, c] = [ia * 2, ib * 2, ic * 2];
    const ax = target[a]! - roi.x;
    const ay = target[a + 1]! - roi.y;
    const bx = target[b]! - roi.x;
    const by = target[b + 1]! - roi.y;
    const cx = target[c]! - roi.x;
    const cy = target[c + 1]! - roi.y;
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
        const o = (y * roi.width + x) * 4;
        const u = wa * from[a]! + wb * from[b]! + wc * from[c]!;
        const v = wa * from[a + 1]! + wb * from[b + 1]! + wc * from[c + 1]!;
        sampleBilinear(source, u, v, own, 0);
        const s = wa * shown[ia]! + wb * shown[ib]! + wc * shown[ic]!;
        if (s < 1) {
          const mu = wa * mirrored[a]! + wb * mirrored[b]! + wc * mirrored[c]!;
          const mv = wa * mirrored[a + 1]! + wb * mirrored[b + 1]! + wc * mirrored[c + 1]!;
          sampleBilinear(source, mu, mv, other, 0);
        }
        for (let k = 0; k < 3; k++) out[o + k] = s < 1 ? other[k]! + (own[k]! - other[k]!) * s : own[k]!;
        out[o + 3] = 1;
      }
    }
  }
  return out;
}
