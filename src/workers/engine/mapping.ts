import { DoppelError } from '../../shared/errors';
import type { FaceMapping, FaceMatch, FaceRef } from './api';
import { similarity } from './descriptors';

/** The pair a face gets: the one whose reference it is most like, when at least `threshold`; else null. */
export function matchFace(
  descriptor: Float32Array,
  references: readonly Float32Array[],
  threshold: number,
): Omit<FaceMatch, 'face'> {
  let best = -1;
  let bestSimilarity = -Infinity;
  references.forEach((reference, pair) => {
    const s = similarity(descriptor, reference);
    if (s > bestSimilarity) {
      best = pair;
      bestSimilarity = s;
    }
  });
  return { pair: bestSimilarity >= threshold ? best : null, similarity: Math.max(0, bestSimilarity) };
}

/** Every face's match, in order. */
export function matchFaces(
  descriptors: readonly Float32Array[],
  references: readonly Float32Array[],
  threshold: number,
): FaceMatch[] {
  return descriptors.map((d, face) => ({ face, ...matchFace(d, references, threshold) }));
}

/** INVALID mappings are refused before any work: no pair, or a threshold outside 0..1. */
export function checkMapping(mapping: FaceMapping): void {
  if (mapping.pairs.length === 0 || !(mapping.threshold >= 0 && mapping.threshold <= 1))
    throw new DoppelError(
      'NO_FACE_SELECTED',
      'Choose a reference face for each source face, and a likeness threshold from 0 to 1.',
    );
}

/** The distinct source faces of a mapping, and each pair's index into them. */
export function mappingSources(mapping: FaceMapping): { sources: FaceRef[]; ofPair: number[] } {
  const sources: FaceRef[] = [];
  const ofPair = mapping.pairs.map(({ source }) => {
    const known = sources.findIndex((s) => s.imageId === source.imageId && s.face === source.face);
    if (known >= 0) return known;
    sources.push(source);
    return sources.length - 1;
  });
  return { sources, ofPair };
}
