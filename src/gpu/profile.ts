import { faceGeometry, type FaceGeometry } from './face-geometry';
import type { BlendOptions, FacePair, MeshTopology, SkippedFace } from './types';

/**
 * Faces turned further than this from the camera (yaw, degrees) keep their own pixels: the mesh of
 * the hidden half is a guess there, and the source rarely shows that side.
 */
export const YAW_LIMIT_DEG = 70;
/** From this yaw up to the limit the swap fades out, so a face turning away does not pop. */
export const YAW_FADE_DEG = 62;

/**
 * How much of the swap a face gets for its yaw: 1 up to YAW_FADE_DEG, easing to 0 at
 * YAW_LIMIT_DEG and beyond; 1 when the yaw is unknown.
 */
export function yawStrength(yawDeg: number | undefined): number {
  if (yawDeg === undefined || !Number.isFinite(yawDeg)) return 1;
  const t = Math.min(Math.max((YAW_LIMIT_DEG - Math.abs(yawDeg)) / (YAW_LIMIT_DEG - YAW_FADE_DEG), 0), 1);
  return t * t * (3 - 2 * t);
}

/** The skip record of a face turned too far to swap, or null when it swaps. */
function profileSkip(face: FacePair, index: number): SkippedFace | null {
  if (yawStrength(face.yawDeg) > 0) return null;
  const yaw = Math.round(Math.abs(face.yawDeg!));
  return {
    face: index,
    reason: `The face is turned ${yaw}° from the camera (the limit is ${YAW_LIMIT_DEG}°), so it was left as it was.`,
  };
}

/**
 * What both swappers do first for each face: its geometry, or null when it is not swapped (turned
 * past the limit: then its skip record goes to `skipped`; or wholly outside the image).
 */
export function swappableFace(
  face: FacePair,
  index: number,
  topology: MeshTopology,
  options: BlendOptions,
  target: { width: number; height: number },
  skipped: SkippedFace[],
): FaceGeometry | null {
  const skip = profileSkip(face, index);
  if (skip) {
    skipped.push(skip);
    return null;
  }
  return faceGeometry(face, topology, options, target.width, target.height);
}

/** A source triangle with less than this share of its mirror's area (or facing away) is not shown. */
export const HIDDEN_SHARE = 0.25;
/** From this share up the source's own triangle is used alone. */
export const SHOWN_SHARE = 0.6;

function signedArea(points: Float32Array, a: number, b: number, c: number): number {
  const ax = points[a * 2]!;
  const ay = points[a * 2 + 1]!;
  return (
    (points[b * 2]! - ax) * (points[c * 2 + 1]! - ay) - (points[b * 2 + 1]! - ay) * (points[c * 2]! - ax)
  );
}

/**
 * How much of each mesh point's texture the source shows (1) or leaves to the mirrored half (0).
 * A triangle the source shows faces the camera as most of the face does and is not much smaller than
 * its mirror image (the same triangle on the other half); a triangle turned away or foreshortened
 * to under HIDDEN_SHARE of its mirror takes the mirror's texture, easing in up to SHOWN_SHARE.
 * Each point averages the triangles around it, so the fill fades in without a seam.
 */
export function sourceShown(source: Float32Array, topology: MeshTopology): Float32Array {
  const { triangles, mirror } = topology;
  const points = source.length / 2;
  let facing = 0;
  for (let t = 0; t + 2 < triangles.length; t += 3) {
    facing += signedArea(source, triangles[t]!, triangles[t + 1]!, triangles[t + 2]!);
  }
  const side = Math.sign(facing) || 1;
  const sum = new Float32Array(points);
  const count = new Float32Array(points);
  for (let t = 0; t + 2 < triangles.length; t += 3) {
    const [a, b, c] = [triangles[t]!, triangles[t + 1]!, triangles[t + 2]!];
    const own = side * signedArea(source, a, b, c);
    // Mirroring reverses a triangle's winding.
    const other = -side * signedArea(source, mirror[a]!, mirror[b]!, mirror[c]!);
    const largest = Math.max(own, other);
    const share = largest > 0 ? own / largest : 1;
    const x = Math.min(Math.max((share - HIDDEN_SHARE) / (SHOWN_SHARE - HIDDEN_SHARE), 0), 1);
    const weight = x * x * (3 - 2 * x);
    for (const i of [a, b, c]) {
      sum[i] = sum[i]! + weight;
      count[i] = count[i]! + 1;
    }
  }
  return sum.map((s, i) => (count[i]! > 0 ? s / count[i]! : 1));
}
