import { base64ToBytes, bytesToBase64 } from '../shared/bytes';
import { defaultConfig } from '../shared/config';
import type { BlendOptions } from '../workers/engine/api';
import type { AnalyzeResult, EngineKind, NeuralOptions } from '../workers/engine/client';
import { largest } from './automation-bench';
import type { StageTimes } from './automation-photo';
import {
  likenessMapping,
  likenessMatches,
  releaseAll,
  type LikenessMatch,
  type LikenessRequest,
} from './automation-likeness';
import { analyzeSource, cancellable, decodeBase64, release, session } from './automation-session';

export interface AnimationRequest {
  source: string;
  /** An animated GIF (base64). */
  target: string;
  sourceFace?: number;
  /** Faces of the first frame to swap and track. */
  faces: 'all' | number[];
  blend?: Partial<BlendOptions>;
  engine?: EngineKind;
  neural?: Partial<NeuralOptions>;
  /** Swap by likeness (the target face numbers are the first frame's) instead of by `faces`. */
  likeness?: LikenessRequest;
}

export interface AnimationResult {
  frames: number;
  /** Frames where a tracked face was swapped. */
  framesSwapped: number;
  facesTracked: number;
  /** Extra plays after the first: 0 plays once, null loops forever. */
  loopCount: number | null;
  width: number;
  height: number;
  backend: string;
  swapper: string;
  engine: EngineKind;
  provider?: 'webgpu' | 'wasm';
  /** Milliseconds summed over frames: decode, detect (frames and source), the engine's stages, encode, total. */
  ms: StageTimes;
  /** The swapped GIF (base64). */
  output: string;
  /** With `likeness`: each followed face (in order of first appearance), its source face and similarity. */
  matches?: LikenessMatch[];
}

/**
 * Swaps every frame of an animated GIF; progress goes to `window.doppelProgress` when the driver
 * set it; `window.doppel.cancel()` stops it between frames (CANCELLED).
 */
export function swapAnimation(request: AnimationRequest): Promise<AnimationResult> {
  return cancellable((signal) => swapFrames(request, signal));
}

async function swapFrames(request: AnimationRequest, signal: AbortSignal): Promise<AnimationResult> {
  const { engine, info } = session();
  const started = performance.now();
  const source = await analyzeSource(engine, request.source);
  const more: AnalyzeResult[] = [];
  try {
    const sourceFace = request.sourceFace ?? largest(source).index;
    let likeness;
    if (request.likeness) {
      const first = await engine.analyze(await decodeBase64(request.target));
      more.push(first);
      likeness = await likenessMapping(engine, request.likeness, source, sourceFace, first, more);
    }
    const analysed = performance.now();
    const result = await engine.swapAnimation(
      {
        sourceId: source.imageId,
        sourceFace,
        mapping: likeness?.mapping,
        engine: request.engine ?? 'builtin',
        neural: request.neural,
        gif: new Blob([base64ToBytes(request.target)], { type: 'image/gif' }),
        targetFaces: request.faces === 'all' ? undefined : request.faces,
        blend: { ...defaultConfig.blend, ...request.blend },
      },
      { signal, onProgress: (progress) => window.doppelProgress?.(progress) },
    );
    const { gif, repetitionCount, ms, matches, ...rest } = result;
    return {
      ...rest,
      matches: likenessMatches(matches, likeness?.sourceFaces ?? []),
      loopCount: Number.isFinite(repetitionCount) ? repetitionCount : null,
      backend: info.backend,
      swapper: info.swapper,
      ms: {
        ...ms,
        decode: ms.decode ?? 0,
        detect: (ms.detect ?? 0) + analysed - started,
        encode: ms.encode ?? 0,
        total: performance.now() - started,
      },
      output: bytesToBase64(new Uint8Array(await gif.arrayBuffer())),
    };
  } finally {
    await release(source);
    await releaseAll(more);
  }
}
