import { defaultConfig } from '../shared/config';
import { DoppelError } from '../shared/errors';
import type { AnalyzeResult, EngineClient, FaceMapping, FaceMatch } from '../workers/engine/client';
import { largest } from './automation-bench';
import { decodeBase64, release } from './automation-session';

/** Swapping by likeness, as `npm run swap` asks for it (see FaceMapping). */
export interface LikenessRequest {
  /** Reference mode: this face of the target (its first frame), or the largest face of this photo (base64). */
  reference?: { targetFace: number } | { photo: string };
  /**
   * Face mapping: [target face, source face] pairs. Source faces are numbered over the source
   * photo's faces, then the largest face of each `mapSources` photo.
   */
  map?: [number, number][];
  /** More source photos for `map` (base64). */
  mapSources?: string[];
  /** 0..1; the engine's default when omitted. */
  threshold?: number;
}

/** A match as the command line reports it: the source face (numbered as in `map`) it got. */
export interface LikenessMatch {
  face: number;
  sourceFace: number | null;
  similarity: number;
}

/**
 * The mapping a likeness request asks for. `source` is the analysed source photo and `sourceFace`
 * the face reference mode swaps in; `target` the analysed target (a GIF's or video's first frame).
 * Photos it analyses go into `analysed`, for the caller to release.
 */
export async function likenessMapping(
  engine: EngineClient,
  request: LikenessRequest,
  source: AnalyzeResult,
  sourceFace: number,
  target: AnalyzeResult,
  analysed: AnalyzeResult[],
): Promise<{ mapping: FaceMapping; sourceFaces: number[] }> {
  const limit = request.threshold ?? defaultConfig.likenessThreshold;
  const targetFace = (face: number) => {
    if (!target.faces[face])
      throw new DoppelError(
        'NO_FACE_SELECTED',
        `The target has no face number ${face} (it has ${target.faces.length}).`,
      );
    return { imageId: target.imageId, face };
  };
  if (request.reference) {
    let reference;
    if ('photo' in request.reference) {
      const photo = await engine.analyze(await decodeBase64(request.reference.photo));
      analysed.push(photo);
      if (photo.faces.length === 0)
        throw new DoppelError(
          'NO_FACE_FOUND',
          'No face was found in the reference photo. Choose a photo with a clearly visible face.',
        );
      reference = { imageId: photo.imageId, face: largest(photo).index };
    } else reference = targetFace(request.reference.targetFace);
    return {
      mapping: {
        pairs: [{ source: { imageId: source.imageId, face: sourceFace }, reference }],
        threshold: limit,
      },
      sourceFaces: [sourceFace],
    };
  }
  const sources = source.faces.map((f) => ({ imageId: source.imageId, face: f.index }));
  for (const b64 of request.mapSources ?? []) {
    const photo = await engine.analyze(await decodeBase64(b64));
    analysed.push(photo);
    if (photo.faces.length === 0)
      throw new DoppelError('NO_FACE_FOUND', `No face was found in map source photo ${sources.length + 1}.`);
    sources.push({ imageId: photo.imageId, face: largest(photo).index });
  }
  const pairs = (request.map ?? []).map(([t, s]) => {
    const from = sources[s];
    if (!from)
      throw new DoppelError(
        'NO_FACE_SELECTED',
        `There is no source face number ${s} (there are ${sources.length}).`,
      );
    return { source: from, reference: targetFace(t) };
  });
  return { mapping: { pairs, threshold: limit }, sourceFaces: (request.map ?? []).map(([, s]) => s) };
}

/** The engine's matches with each pair named by its source face. */
export function likenessMatches(
  matches: FaceMatch[] | undefined,
  sourceFaces: number[],
): LikenessMatch[] | undefined {
  return matches?.map(({ face, pair, similarity }) => ({
    face,
    sourceFace: pair === null ? null : sourceFaces[pair]!,
    similarity: Math.round(similarity * 1000) / 1000,
  }));
}

/** Releases the photos `likenessMapping` analysed. */
export async function releaseAll(analysed: AnalyzeResult[]): Promise<void> {
  for (const analysis of analysed) await release(analysis);
}
