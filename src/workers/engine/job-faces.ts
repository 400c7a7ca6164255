import type { RgbaImage } from '../../gpu/types';
import type { SwapTimes } from '../animation/frame-swapper';
import { LikenessChoice, type FrameChoice } from '../animation/frame-choice';
import type { FaceRef, SwapOptions } from './api';
import type { FaceDescriber } from './descriptors';
import type { DetectedFace } from './faces';
import { checkMapping, mappingSources } from './mapping';
import type { PhotoStore } from './photo-store';

/** A followed face out of view for this long loses its track; one coming back is decided afresh. */
export const forgetAfterS = 2;

/**
 * A GIF, video or live job's source faces and how its frames' faces are chosen: by likeness with
 * a mapping (its references described once, here), else `otherwise` with the request's source face.
 */
export async function jobFaces(
  photos: PhotoStore,
  describer: FaceDescriber,
  request: SwapOptions,
  otherwise: () => FrameChoice,
): Promise<{ sources: FaceRef[]; choice: FrameChoice }> {
  const { mapping } = request;
  if (!mapping)
    return { sources: [{ imageId: request.sourceId, face: request.sourceFace }], choice: otherwise() };
  checkMapping(mapping);
  const references: Float32Array[] = [];
  for (const { reference } of mapping.pairs)
    references.push(...(await photos.describe(describer, reference.imageId, [reference.face])));
  const { sources, ofPair } = mappingSources(mapping);
  return { sources, choice: new LikenessChoice(references, ofPair, mapping.threshold, forgetAfterS) };
}

/**
 * Swaps each group of faces that shares a source face, one group after the other, into the same
 * frame; `sources[i]` is the source of `faces[i]` (all the first when omitted). Times are summed.
 */
export async function swapBySource(
  image: RgbaImage,
  faces: DetectedFace[],
  sources: readonly number[] | undefined,
  swapOne: (
    source: number,
    image: RgbaImage,
    faces: DetectedFace[],
  ) => Promise<{ image: RgbaImage; times: SwapTimes }>,
): Promise<{ image: RgbaImage; times: SwapTimes }> {
  const order = [...new Set(sources ?? [0])];
  const times: SwapTimes = {};
  for (const source of order) {
    const group = faces.filter((_, i) => (sources?.[i] ?? 0) === source);
    const swapped = await swapOne(source, image, group);
    image = swapped.image;
    for (const [stage, ms] of Object.entries(swapped.times)) times[stage] = (times[stage] ?? 0) + (ms ?? 0);
  }
  return { image, times };
}

/**
 * The request as one source face swaps it: the extra photos of the person (neural engine) belong to
 * the request's own source face, not to another person a mapping brings in.
 */
export function optionsFor(request: SwapOptions, source: FaceRef): SwapOptions {
  const own = source.imageId === request.sourceId && source.face === request.sourceFace;
  return {
    ...request,
    sourceId: source.imageId,
    sourceFace: source.face,
    moreSources: own ? request.moreSources : [],
  };
}
