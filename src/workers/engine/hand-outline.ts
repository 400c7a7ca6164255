/**
 * A hand's outline for the swap: the convex hull of its 21 keypoints grown by about a finger's width
 * (the keypoints run along the middle of the fingers), as a closed polygon of x, y pairs.
 */

/** How far the hull is grown, as a fraction of the keypoints' larger extent: a finger's width and a little more. */
export const FINGER_WIDTH = 0.12;
/** Points on the circle swept around each keypoint. */
const CIRCLE_POINTS = 12;

/** Counter-clockwise convex hull of x, y pairs (Andrew's monotone chain). */
export function convexHull(points: readonly (readonly [number, number])[]): [number, number][] {
  const sorted = [...points].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  if (sorted.length < 3) return sorted.map(([x, y]) => [x, y]);
  const cross = (o: readonly number[], a: readonly number[], b: readonly number[]) =>
    (a[0]! - o[0]!) * (b[1]! - o[1]!) - (a[1]! - o[1]!) * (b[0]! - o[0]!);
  const half = (list: (readonly [number, number])[]) => {
    const chain: (readonly [number, number])[] = [];
    for (const p of list) {
      while (chain.length >= 2 && cross(chain.at(-2)!, chain.at(-1)!, p) <= 0) chain.pop();
      chain.push(p);
    }
    chain.pop();
    return chain;
  };
  return [...half(sorted), ...half([...sorted].reverse())].map(([x, y]) => [x, y]);
}

/** The keypoints' bounding box: x, y, width, height. */
export function keypointBox(keypoints: Float32Array): [number, number, number, number] {
  let [x0, y0, x1, y1] = [Infinity, Infinity, -Infinity, -Infinity];
  for (let i = 0; i + 1 < keypoints.length; i += 2) {
    x0 = Math.min(x0, keypoints[i]!);
    x1 = Math.max(x1, keypoints[i]!);
    y0 = Math.min(y0, keypoints[i + 1]!);
    y1 = Math.max(y1, keypoints[i + 1]!);
  }
  return [x0, y0, x1 - x0, y1 - y0];
}

/** The hull of the keypoints (x, y pairs) swept by a circle of FINGER_WIDTH x their extent. */
export function handOutline(keypoints: Float32Array): Float32Array {
  const [, , width, height] = keypointBox(keypoints);
  const radius = FINGER_WIDTH * Math.max(width, height);
  const swept: [number, number][] = [];
  for (let i = 0; i + 1 < keypoints.length; i += 2) {
    for (let k = 0; k < CIRCLE_POINTS; k++) {
      const angle = (2 * Math.PI * k) / CIRCLE_POINTS;
      swept.push([keypoints[i]! + radius * Math.cos(angle), keypoints[i + 1]! + radius * Math.sin(angle)]);
    }
  }
  return new Float32Array(convexHull(swept).flat());
}

/** The outlines that overlap a face box (x, y, width, height), most overlapping first, at most `max`. */
export function handsOver(
  face: readonly [number, number, number, number],
  outlines: readonly Float32Array[],
  max: number,
): Float32Array[] {
  const overlap = (outline: Float32Array) => {
    const [x, y, w, h] = keypointBox(outline);
    const dx = Math.min(x + w, face[0] + face[2]) - Math.max(x, face[0]);
    const dy = Math.min(y + h, face[1] + face[3]) - Math.max(y, face[1]);
    return dx > 0 && dy > 0 ? dx * dy : 0;
  };
  return outlines
    .map((outline) => ({ outline, area: overlap(outline) }))
    .filter((o) => o.area > 0)
    .sort((a, b) => b.area - a.area)
    .slice(0, max)
    .map((o) => o.outline);
}
