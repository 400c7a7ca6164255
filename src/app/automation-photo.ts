import { bytesToBase64 } from '../shared/bytes';
import { defaultConfig } from '../shared/config';
import { DoppelError } from '../shared/errors';
import type { BlendOptions } from '../workers/engine/api';
import type {
  AnalyzeResult,
  EngineKind,
  ImageFormat,
  NeuralOptions,
  SkippedFace,
} from '../workers/engine/client';
import { largest } from './automation-bench';
import {
  likenessMapping,
  likenessMatches,
  releaseAll,
  type LikenessMatch,
  type LikenessRequest,
} from './automation-likeness';
import { decodeBase64, release, session } from './automation-session';

/**
 * The page that `npm run swap`, the benchmark and the tests drive in headless Chromium: the same
 * built app code and engine worker as the UI, with byte-level inputs and outputs.
 */
export interface AutomationRequest {
  source: string;
  target: string;
  sourceFace?: number;
  faces: 'all' | number[];
  format: ImageFormat;
  quality?: number;
  blend?: Partial<BlendOptions>;
  /** 'builtin' when omitted. */
  engine?: EngineKind;
  neural?: Partial<NeuralOptions>;
  /** More photos of the source person (base64; the largest face of each): the neural engine averages identities. */
  moreSources?: string[];
  /** Swap by likeness (reference mode or face mapping) instead of by `faces`. */
  likeness?: LikenessRequest;
}

/** Milliseconds per stage: the page's four always, the engine's own stages besides. */
export interface StageTimes {
  decode: number;
  detect: number;
  encode: number;
  total: number;
  [stage: string]: number;
}

export interface AutomationResult {
  facesFound: { source: number; target: number };
  /** Hands found around the target's faces (kept in front of the swap unless blend.hands is false). */
  handsFound: number;
  facesSwapped: number;
  /** Target faces left as they were, with why (turned too far from the camera). */
  skipped: SkippedFace[];
  /** Index of the source face used (default: the largest). */
  sourceFace: number;
  /** Whether the source face wears glasses (its eye zones then come from the target). */
  sourceGlasses: boolean;
  backend: string;
  swapper: string;
  engine: EngineKind;
  /** The neural engine's execution provider. */
  provider?: 'webgpu' | 'wasm';
  /** Set when the swap had to change course (a lost GPU: WASM finished it). */
  notice?: string;
  /**
   * Milliseconds: decode, detect (analysing every photo), the engine's own stages (built-in: warp,
   * colour, blend; neural: align, embed, swap, paste, and restore, mask, swapDetect when they ran), encode,
   * total.
   */
  ms: StageTimes;
  output: string;
  touched: string;
  sourceBoxes: [number, number, number, number][];
  targetBoxes: [number, number, number, number][];
  /** With `likeness`: every target face, the source face it got (null: none) and its similarity. */
  matches?: LikenessMatch[];
}

/** The faces found in a photo (base64): boxes, scores and roll; the hands around them; the time each took. */
export async function analyzeBytes(b64: string) {
  const { engine } = session();
  const analysed = await engine.analyze(await decodeBase64(b64));
  await release(analysed);
  return {
    width: analysed.width,
    height: analysed.height,
    faces: analysed.faces.map(({ box, score, rollDeg, mesh }) => ({ box, score, rollDeg, mesh: [...mesh] })),
    hands: analysed.hands,
    ms: analysed.ms,
  };
}

/** Page-level stages come first; an engine stage of the same name (the neural detector) is prefixed. */
function stageTimes(page: { decode: number; detect: number }, engine: Record<string, number>) {
  const own = ['decode', 'detect', 'encode', 'total'];
  return {
    ...page,
    ...Object.fromEntries(
      Object.entries(engine).map(([k, v]) => [
        own.includes(k) ? `swap${k[0]!.toUpperCase()}${k.slice(1)}` : k,
        v,
      ]),
    ),
  };
}

/** Analyses the photos, swaps and encodes, timing each stage. */
export async function swap(request: AutomationRequest): Promise<AutomationResult> {
  const { engine, info } = session();
  const started = performance.now();
  const decode = decodeBase64;
  const sourceBitmap = await decode(request.source);
  const targetBitmap = await decode(request.target);
  const extraBitmaps = await Promise.all((request.moreSources ?? []).map(decode));
  const decoded = performance.now();
  const bitmaps = [sourceBitmap, targetBitmap, ...extraBitmaps];
  const analysed: AnalyzeResult[] = [];
  try {
    // Only the target's hands are kept in front of the swap.
    for (const bitmap of bitmaps)
      analysed.push(await engine.analyze(bitmap, { hands: bitmap === targetBitmap }));
    const [source, target, ...extras] = analysed;
    const detected = performance.now();
    if (!source || !target) throw new Error('source and target were not analysed');
    if (source.faces.length === 0) {
      throw new DoppelError(
        'NO_FACE_FOUND',
        'No face was found in the source photo. Choose a photo with a clearly visible face.',
      );
    }
    if (target.faces.length === 0) {
      throw new DoppelError(
        'NO_FACE_FOUND',
        'No face was found in the target photo, so there is nothing to replace.',
      );
    }
    const unusable = extras.findIndex((extra) => extra.faces.length === 0);
    if (unusable >= 0) {
      throw new DoppelError(
        'NO_FACE_FOUND',
        `No face was found in extra source photo ${unusable + 1}. Choose photos where the face is clearly visible.`,
      );
    }
    const sourceFace = request.sourceFace ?? largest(source).index;
    const likeness =
      request.likeness &&
      (await likenessMapping(engine, request.likeness, source, sourceFace, target, analysed));
    const result = await engine.swap({
      mapping: likeness?.mapping,
      sourceId: source.imageId,
      sourceFace,
      moreSources: extras.map((extra) => ({ sourceId: extra.imageId, sourceFace: largest(extra).index })),
      engine: request.engine ?? 'builtin',
      neural: request.neural,
      targetId: target.imageId,
      targetFaces: request.faces === 'all' ? undefined : request.faces,
      blend: { ...defaultConfig.blend, ...request.blend },
    });
    result.bitmap.close();
    const swapped = performance.now();
    const blob = await engine.encode(result.resultId, request.format, request.quality ?? 0.92);
    const output = new Uint8Array(await blob.arrayBuffer());
    const encoded = performance.now();
    await engine.release(result.resultId);
    return {
      facesFound: { source: source.faces.length, target: target.faces.length },
      handsFound: target.hands.length,
      facesSwapped: result.facesSwapped,
      skipped: result.skipped ?? [],
      sourceFace,
      sourceGlasses: result.sourceGlasses,
      backend: info.backend,
      swapper: info.swapper,
      engine: result.engine,
      provider: result.provider,
      notice: result.notice,
      ms: {
        ...stageTimes({ decode: decoded - started, detect: detected - decoded }, result.ms),
        encode: encoded - swapped,
        total: encoded - started,
      },
      output: bytesToBase64(output),
      touched: bytesToBase64(result.touched),
      sourceBoxes: source.faces.map((f) => f.box),
      targetBoxes: target.faces.map((f) => f.box),
      matches: likenessMatches(result.matches, likeness?.sourceFaces ?? []),
    };
  } finally {
    bitmaps.slice(analysed.length).forEach((b) => b.close());
    await releaseAll(analysed);
  }
}
