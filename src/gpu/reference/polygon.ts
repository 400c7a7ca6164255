/**
 * Signed distance from (px, py) to a closed polygon: positive inside (even-odd rule), negative
 * outside, exact distance to the nearest edge segment. Points are x,y pairs in `points`, the
 * polygon being `count` points from point index `start`.
 */
export function signedInsideDistance(
  px: number,
  py: number,
  points: Float32Array,
  start: number,
  count: number,
): number {
  let nearest = Infinity;
  let inside = false;
  for (let i = 0; i < count; i++) {
    const j = i === 0 ? count - 1 : i - 1;
    const ax = points[(start + j) * 2]!;
    const ay = points[(start + j) * 2 + 1]!;
    const bx = points[(start + i) * 2]!;
    const by = points[(start + i) * 2 + 1]!;
    const ex = bx - ax;
    const ey = by - ay;
    const qx = px - ax;
    const qy = py - ay;
    const lengthSq = ex * ex + ey * ey;
    const h = lengthSq > 0 ? Math.min(Math.max((qx * ex + qy * ey) / lengthSq, 0), 1) : 0;
    const dx = qx - ex * h;
    const dy = qy - ey * h;
    nearest = Math.min(nearest, Math.sqrt(dx * dx + dy * dy));
    if (ay > py !== by > py && px < (ex * (py - ay)) / ey + ax) inside = !inside;
  }
  return inside ? nearest : -nearest;
}

/** 0 at x <= 0, 1 at x >= edge, smooth (Hermite) in between; a step at 0 when edge <= 0. */
export function ramp(edge: number, x: number): number {
  if (edge <= 0) return x > 0 ? 1 : 0;
  const t = Math.min(Math.max(x / edge, 0), 1);
  return t * t * (3 - 2 * t);
}

/**
 * The bounding box x0, y0, x1, y1 of the polygon of `count` points from point index `start`, grown by
 * `margin` on every side: beyond it a ramp over `margin` from the outline is saturated.
 */
export function grownBox(
  points: ArrayLike<number>,
  start: number,
  count: number,
  margin: number,
): [number, number, number, number] {
  const box: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  for (let k = start; k < start + count; k++) {
    box[0] = Math.min(box[0], points[k * 2]! - margin);
    box[1] = Math.min(box[1], points[k * 2 + 1]! - margin);
    box[2] = Math.max(box[2], points[k * 2]! + margin);
    box[3] = Math.max(box[3], points[k * 2 + 1]! + margin);
  }
  return box;
}
