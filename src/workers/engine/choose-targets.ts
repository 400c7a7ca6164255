import { DoppelError } from '../../shared/errors';
import { FirstFrameChoice, type FrameChoice } from '../animation/frame-choice';
import type { FaceMatch } from './api';
import type { DetectedFace } from './faces';

/** The faces a swap replaces: the given indices, or every face. */
export function chooseTargets(
  faces: DetectedFace[],
  indices: number[] | undefined,
  where: string,
): DetectedFace[] {
  if (faces.length === 0)
    throw new DoppelError(
      'NO_FACE_FOUND',
      `No face was found in the ${where}, so there is nothing to replace.`,
    );
  const chosen = (indices ?? faces.map((_, i) => i)).map((i) => {
    const face = faces[i];
    if (!face) throw new DoppelError('NO_FACE_SELECTED', `The ${where} has no face number ${i + 1}.`);
    return face;
  });
  if (chosen.length === 0) throw new DoppelError('NO_FACE_SELECTED');
  return chosen;
}

/** GIF and video without a mapping: the chosen faces of the first frame (every face when none is chosen). */
export function firstFrame(indices: number[] | undefined, where: string): FrameChoice {
  return new FirstFrameChoice((faces) => chooseTargets(faces, indices, where));
}

/** A job's matches, when it swapped by likeness. */
export function matchesOf(choice: FrameChoice): { matches?: FaceMatch[] } {
  return choice.matches ? { matches: choice.matches() } : {};
}
