import type { FacePair, MeshTopology } from './types';

/**
 * How far each inner point of the target mesh moves towards where the source face has it (0: the
 * target's shape, 1: the source's proportions), in the target's pose.
 */
export const IDENTITY_SHAPE = 0.65;
/**
 * Points this close to a pinned point (a fraction of the face size) move less, easing in, so the
 * outline and the kept eyes and mouth join the moved points smoothly.
 */
export const PIN_FALLOFF = 0.06;

type Point = [number, number];

/** The 2-D similarity (scale, rotation, translation) that best maps `from` onto `to` (least squares). */
export function similarity(from: Float32Array, to: Float32Array): (x: number, y: number) => Point {
  const n = from.length / 2;
  let [fx, fy, tx, ty] = [0, 0, 0, 0];
  for (let i = 0; i < n; i++) {
    fx += from[i * 2]!;
    fy += from[i * 2 + 1]!;
    tx += to[i * 2]!;
    ty += to[i * 2 + 1]!;
  }
  [fx, fy, tx, ty] = [fx / n, fy / n, tx / n, ty / n];
  let [a, b, norm] = [0, 0, 0];
  for (let i = 0; i < n; i++) {
    const px = from[i * 2]! - fx;
    const py = from[i * 2 + 1]! - fy;
    const qx = to[i * 2]! - tx;
    const qy = to[i * 2 + 1]! - ty;
    a += px * qx + py * qy;
    b += px * qy - py * qx;
    norm += px * px + py * py;
  }
  if (!(norm > 0)) return (x, y) => [x - fx + tx, y - fy + ty];
  [a, b] = [a / norm, b / norm];
  return (x, y) => [tx + a * (x - fx) - b * (y - fy), ty + b * (x - fx) + a * (y - fy)];
}

/** The unit direction across the face: from the right eye's centre to the left's (x when unknown). */
function eyeLine(points: Float32Array, topology: MeshTopology): Point {
  const centre = (loop: readonly number[]): Point => [
    loop.reduce((sum, i) => sum + points[i * 2]!, 0) / loop.length,
    loop.reduce((sum, i) => sum + points[i * 2 + 1]!, 0) / loop.length,
  ];
  if (topology.leftEye.length === 0 || topology.rightEye.length === 0) return [1, 0];
  const [rx, ry] = centre(topology.rightEye);
  const [lx, ly] = centre(topology.leftEye);
  const length = Math.hypot(lx - rx, ly - ry);
  return length > 0 ? [(lx - rx) / length, (ly - ry) / length] : [1, 0];
}

/**
 * The target mesh with the source's face proportions: the source mesh is laid over the target's by
 * the similarity that fits them best (so the target's position, size and roll stay), and each point
 * moves IDENTITY_SHAPE of the way to the source's point: the nose, brows, cheeks and lips take the
 * source's shape. Only the part of that move the two halves of the face share is made (a source
 * turned to one side foreshortens one half and widens the other, which is pose, not identity). The outline (the blend region and the jaw) and the eye and mouth openings (kept
 * from the target, and the expression) stay where the target has them; points near them ease in
 * over PIN_FALLOFF of the face size.
 */
export function identityShape(face: FacePair, topology: MeshTopology): Float32Array {
  const { source, target } = face;
  const pinned = [
    ...new Set([...topology.oval, ...topology.leftEye, ...topology.rightEye, ...topology.mouth]),
  ];
  if (pinned.length === 0 || !(IDENTITY_SHAPE > 0)) return target;
  const laid = similarity(source, target);
  let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const i of topology.oval) {
    [minX, maxX] = [Math.min(minX, target[i * 2]!), Math.max(maxX, target[i * 2]!)];
    [minY, maxY] = [Math.min(minY, target[i * 2 + 1]!), Math.max(maxY, target[i * 2 + 1]!)];
  }
  const falloff = PIN_FALLOFF * Math.max(maxX - minX, maxY - minY, 1);
  const count = target.length / 2;
  const offset = new Float32Array(target.length);
  for (let i = 0; i < count; i++) {
    const [sx, sy] = laid(source[i * 2]!, source[i * 2 + 1]!);
    offset[i * 2] = sx - target[i * 2]!;
    offset[i * 2 + 1] = sy - target[i * 2 + 1]!;
  }
  const [ux, uy] = eyeLine(target, topology);
  const isPinned = new Uint8Array(count);
  for (const i of pinned) isPinned[i] = 1;
  const shaped = Float32Array.from(target);
  for (let i = 0; i < count; i++) {
    if (isPinned[i]) continue;
    const x = target[i * 2]!;
    const y = target[i * 2 + 1]!;
    let nearest = Infinity;
    for (const j of pinned)
      nearest = Math.min(nearest, Math.hypot(target[j * 2]! - x, target[j * 2 + 1]! - y));
    const t = Math.min(nearest / falloff, 1);
    const weight = IDENTITY_SHAPE * t * t * (3 - 2 * t);
    // The offset averaged with its mirror point's, reflected across the face's midline: what turning
    // the head does to one half it undoes on the other, so only the proportions both halves share stay.
    const m = topology.mirror[i]!;
    const [mx, my] = [offset[m * 2]!, offset[m * 2 + 1]!];
    const along = mx * ux + my * uy;
    shaped[i * 2] = x + (weight * (offset[i * 2]! + mx - 2 * along * ux)) / 2;
    shaped[i * 2 + 1] = y + (weight * (offset[i * 2 + 1]! + my - 2 * along * uy)) / 2;
  }
  return shaped;
}
