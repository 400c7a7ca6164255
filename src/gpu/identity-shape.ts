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

/**
 * The target mesh with the source's face proportions: the source mesh is laid over the target's by
 * the similarity that fits them best (so the target's position, size and roll stay), and each point
 * moves IDENTITY_SHAPE of the way to the source's point: the nose, brows, cheeks and lips take the
 * source's shape. The outline (the blend region and the jaw) and the eye and mouth openings (kept
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
  const isPinned = new Uint8Array(target.length / 2);
  for (const i of pinned) isPinned[i] = 1;
  const shaped = Float32Array.from(target);
  for (let i = 0; i < target.length / 2; i++) {
    if (isPinned[i]) continue;
    const x = target[i * 2]!;
    const y = target[i * 2 + 1]!;
    let nearest = Infinity;
    for (const j of pinned)
      nearest = Math.min(nearest, Math.hypot(target[j * 2]! - x, target[j * 2 + 1]! - y));
    const t = Math.min(nearest / falloff, 1);
    const weight = IDENTITY_SHAPE * t * t * (3 - 2 * t);
    const [sx, sy] = laid(source[i * 2]!, source[i * 2 + 1]!);
    shaped[i * 2] = x + weight * (sx - x);
    shaped[i * 2 + 1] = y + weight * (sy - y);
  }
  return shaped;
}
