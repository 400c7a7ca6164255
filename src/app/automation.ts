import type { BackendChoice } from '../shared/config';
import { benchImage, largest, type ImageBenchRequest } from './automation-bench';
import {
  listVideoOutputs,
  readVideoOutput,
  removeVideoOutput,
  videoBlob,
  type VideoAutomationRequest,
  type VideoAutomationResult,
  type VideoDriverProgress,
} from './automation-video';
import type { BlendOptions } from '../workers/engine/api';
import { base64ToBytes, bytesToBase64 } from '../shared/bytes';
import { defaultConfig } from '../shared/config';
import { DoppelError } from '../shared/errors';
import { decodeImageFile } from '../shared/image-file';
import {
  EngineClient,
  type AnalyzeResult,
  type EngineInfo,
  type EngineKind,
  type ImageFormat,
  type NeuralOptions,
  type Progress,
  type VideoInfo,
} from '../workers/engine/client';

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
  facesSwapped: number;
  /** Index of the source face used (default: the largest). */
  sourceFace: number;
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
}

export interface AutomationError {
  error: { code: string; message: string };
}

let client: EngineClient | null = null;
let info: EngineInfo | null = null;

async function init(backend: BackendChoice, threads?: number): Promise<EngineInfo> {
  client ??= EngineClient.create();
  info = await client.init({
    backend,
    threads,
    modelBaseUrl: defaultConfig.modelBaseUrl,
    wasmBaseUrl: defaultConfig.wasmBaseUrl,
  });
  return info;
}

async function analyzeBytes(b64: string) {
  if (!client) throw new Error('call init first');
  const bitmap = await decodeImageFile(new Blob([base64ToBytes(b64)]));
  const analysed = await client.analyze(bitmap);
  analysed.faces.forEach((f) => f.thumbnail.close());
  await client.release(analysed.imageId);
  return {
    width: analysed.width,
    height: analysed.height,
    faces: analysed.faces.map(({ box, score, rollDeg }) => ({ box, score, rollDeg })),
  };
}

async function release(analysis: AnalyzeResult): Promise<void> {
  analysis.faces.forEach((f) => f.thumbnail.close());
  await client?.release(analysis.imageId);
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

async function swap(request: AutomationRequest): Promise<AutomationResult> {
  if (!client || !info) throw new Error('call init first');
  const engine = client;
  const started = performance.now();
  const decode = (b64: string) => decodeImageFile(new Blob([base64ToBytes(b64)]));
  const sourceBitmap = await decode(request.source);
  const targetBitmap = await decode(request.target);
  const extraBitmaps = await Promise.all((request.moreSources ?? []).map(decode));
  const decoded = performance.now();
  const bitmaps = [sourceBitmap, targetBitmap, ...extraBitmaps];
  const analysed: AnalyzeResult[] = [];
  try {
    for (const bitmap of bitmaps) analysed.push(await engine.analyze(bitmap));
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
    const result = await engine.swap({
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
      facesSwapped: result.facesSwapped,
      sourceFace,
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
    };
  } finally {
    bitmaps.slice(analysed.length).forEach((b) => b.close());
    for (const analysis of analysed) await release(analysis);
  }
}

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
}

/** Analyses the source photo (base64); NO_FACE_FOUND, the analysis released, when it shows no face. */
async function analyzeSource(engine: EngineClient, b64: string): Promise<AnalyzeResult> {
  const source = await engine.analyze(await decodeImageFile(new Blob([base64ToBytes(b64)])));
  if (source.faces.length > 0) return source;
  await release(source);
  throw new DoppelError(
    'NO_FACE_FOUND',
    'No face was found in the source photo. Choose a photo with a clearly visible face.',
  );
}

let running: AbortController | null = null;

/**
 * Swaps every frame of an animated GIF; progress goes to `window.doppelProgress` when the driver
 * set it; `window.doppel.cancel()` stops it between frames (CANCELLED).
 */
async function swapAnimation(request: AnimationRequest): Promise<AnimationResult> {
  if (!client || !info) throw new Error('call init first');
  const engine = client;
  const controller = new AbortController();
  running = controller;
  const started = performance.now();
  const source = await analyzeSource(engine, request.source);
  try {
    const analysed = performance.now();
    const result = await engine.swapAnimation(
      {
        sourceId: source.imageId,
        sourceFace: request.sourceFace ?? largest(source).index,
        engine: request.engine ?? 'builtin',
        neural: request.neural,
        gif: new Blob([base64ToBytes(request.target)], { type: 'image/gif' }),
        targetFaces: request.faces === 'all' ? undefined : request.faces,
        blend: { ...defaultConfig.blend, ...request.blend },
      },
      { signal: controller.signal, onProgress: (progress) => window.doppelProgress?.(progress) },
    );
    const { gif, repetitionCount, ms, ...rest } = result;
    return {
      ...rest,
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
    if (running === controller) running = null;
    await release(source);
  }
}

let runningVideo: { pause(): void; resume(): void } | null = null;

/**
 * Swaps a video into OPFS `video-output` (read it back with `readVideoOutput`); progress goes to
 * `window.doppelVideoProgress` when the driver set it; `cancel`, `pauseVideo`, `resumeVideo` act on it.
 */
async function swapVideo(request: VideoAutomationRequest): Promise<VideoAutomationResult> {
  if (!client || !info) throw new Error('call init first');
  const engine = client;
  const engineInfo = info;
  const controller = new AbortController();
  running = controller;
  try {
    const video = await videoBlob(request.video);
    const source = await analyzeSource(engine, request.source);
    try {
      const result = await engine.swapVideo(
        {
          sourceId: source.imageId,
          sourceFace: request.sourceFace ?? largest(source).index,
          engine: request.engine ?? 'builtin',
          neural: request.neural,
          video,
          targetFaces: request.faces === 'all' ? undefined : request.faces,
          trim: request.trim,
          container: request.container,
          quality: request.quality ?? 'medium',
          outputName: request.outputName ?? `automation-${Date.now()}.${request.container}`,
          blend: { ...defaultConfig.blend, ...request.blend },
        },
        {
          signal: controller.signal,
          onStart: (job) => (runningVideo = job),
          onProgress: ({ preview, ...progress }) => {
            const size: [number, number] | undefined = preview && [preview.width, preview.height];
            preview?.close();
            window.doppelVideoProgress?.({ ...progress, preview: size });
          },
        },
      );
      return { ...result, backend: engineInfo.backend, swapper: engineInfo.swapper };
    } finally {
      await release(source);
    }
  } finally {
    if (running === controller) running = null;
    runningVideo = null;
  }
}

/** Runs a call and returns DoppelErrors as data, so callers outside the page see code and message. */
async function guarded<T>(work: () => Promise<T>): Promise<T | AutomationError> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof DoppelError) return { error: { code: error.code, message: error.message } };
    throw error;
  }
}

const api = {
  init: (backend: BackendChoice, threads?: number) => guarded(() => init(backend, threads)),
  analyze: (b64: string) => guarded(() => analyzeBytes(b64)),
  swap: (request: AutomationRequest) => guarded(() => swap(request)),
  benchImage: (request: ImageBenchRequest) =>
    guarded(() => {
      if (!client) throw new Error('call init first');
      return benchImage(client, (b64) => decodeImageFile(new Blob([base64ToBytes(b64)])), request);
    }),
  swapAnimation: (request: AnimationRequest) => guarded(() => swapAnimation(request)),
  cancel: () => running?.abort(),
  videoInfo: (video: Blob | { url: string }) =>
    guarded(async (): Promise<VideoInfo> => {
      if (!client) throw new Error('call init first');
      return client.videoInfo(await videoBlob(video));
    }),
  /** The frame at timeS: its size and RGBA pixels (base64). */
  videoFrame: (video: Blob | { url: string }, timeS: number) =>
    guarded(async () => {
      if (!client) throw new Error('call init first');
      const bitmap = await client.videoFrame(await videoBlob(video), timeS);
      const ctx = new OffscreenCanvas(bitmap.width, bitmap.height).getContext('2d')!;
      ctx.drawImage(bitmap, 0, 0);
      bitmap.close();
      const { data, width, height } = ctx.getImageData(0, 0, ctx.canvas.width, ctx.canvas.height);
      return { width, height, rgba: bytesToBase64(new Uint8Array(data.buffer)) };
    }),
  swapVideo: (request: VideoAutomationRequest) => guarded(() => swapVideo(request)),
  pauseVideo: () => runningVideo?.pause(),
  resumeVideo: () => runningVideo?.resume(),
  listVideoOutputs,
  readVideoOutput,
  removeVideoOutput,
  neuralStatus: () =>
    guarded(() => {
      if (!client) throw new Error('call init first');
      return client.neuralStatus();
    }),
};

declare global {
  interface Window {
    doppel: typeof api;
    /** Set by the driver (Playwright's exposeFunction) to receive a GIF swap's progress. */
    doppelProgress?: (progress: Progress) => void;
    /** Set by the driver to receive a video swap's progress. */
    doppelVideoProgress?: (progress: VideoDriverProgress) => void;
  }
}

window.doppel = api;
document.body.dataset.ready = 'true';
