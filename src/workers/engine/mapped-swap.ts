import { DoppelError } from '../../shared/errors';
import type { EngineKind, FaceMatch, FaceRef, SkippedFace, SwapRequest } from './api';
import { chooseTargets } from './choose-targets';
import type { FaceDescriber } from './descriptors';
import { checkMapping, matchFaces } from './mapping';
import type { LoadedImage, PhotoStore } from './photo-store';

/** Target faces (indices) that one source face replaces. */
export interface SwapGroup {
  source: FaceRef;
  faces: number[];
}

/**
 * Which target faces each source face replaces: the chosen ones (every face when none is chosen)
 * with the request's source face, or, with a mapping, each face by likeness to the references.
 * NO_MATCHING_FACE when a mapping matches no face.
 */
export async function photoGroups(
  photos: PhotoStore,
  describer: FaceDescriber,
  request: SwapRequest,
  target: LoadedImage,
): Promise<{ groups: SwapGroup[]; matches?: FaceMatch[] }> {
  const { mapping } = request;
  if (!mapping) {
    const chosen = chooseTargets(target.faces, request.targetFaces, 'target photo');
    const faces = chosen.map((face) => target.faces.indexOf(face));
    return { groups: [{ source: { imageId: request.sourceId, face: request.sourceFace }, faces }] };
  }
  checkMapping(mapping);
  chooseTargets(target.faces, undefined, 'target photo');
  const references: Float32Array[] = [];
  for (const { reference } of mapping.pairs)
    references.push(...(await photos.describe(describer, reference.imageId, [reference.face])));
  const descriptors = await photos.describe(describer, request.targetId);
  const matches = matchFaces(descriptors, references, mapping.threshold);
  const groups = mapping.pairs
    .map(({ source }, pair) => ({
      source,
      faces: matches.filter((m) => m.pair === pair).map((m) => m.face),
    }))
    .filter((group) => group.faces.length > 0);
  if (groups.length === 0) throw new DoppelError('NO_MATCHING_FACE', undefined, { matches });
  return { groups, matches };
}

/** What one group's swap gives back (the built-in or the neural engine's output). */
export interface GroupOutput {
  image: { width: number; height: number; data: Uint8ClampedArray };
  touched: Uint8Array;
  times: object;
  skipped?: SkippedFace[];
  engine: EngineKind;
  provider?: 'webgpu' | 'wasm';
  notice?: string;
}

/**
 * Groups swapped one after the other into one output: the last image, the union of the touched
 * pixels, stage times summed, and skipped faces numbered as the target's faces.
 */
export function mergeOutputs(outputs: { output: GroupOutput; faces: number[] }[]) {
  const last = outputs[outputs.length - 1]!.output;
  const touched = new Uint8Array(last.touched.length);
  const times: Record<string, number> = {};
  const skipped: SkippedFace[] = [];
  for (const { output, faces } of outputs) {
    output.touched.forEach((v, i) => (touched[i] = touched[i]! | v));
    for (const [stage, ms] of Object.entries(output.times))
      if (typeof ms === 'number') times[stage] = (times[stage] ?? 0) + ms;
    for (const skip of output.skipped ?? []) skipped.push({ ...skip, face: faces[skip.face]! });
  }
  const notice = outputs.map(({ output }) => output.notice).find(Boolean);
  return { ...last, touched, times, skipped, ...(notice ? { notice } : {}) };
}
