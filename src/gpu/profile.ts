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
