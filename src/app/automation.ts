import type { BackendChoice } from '../shared/config';
import type { BlendOptions } from '../workers/engine/api';
import { defaultConfig } from '../shared/config';
import { DoppelError } from '../shared/errors';
import { decodeImageFile } from '../shared/image-file';
import { EngineClient, type EngineInfo, type ImageFormat } from '../workers/engine/client';

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
}

export interface AutomationResult {
  facesFound: { source: number; target: number };
  facesSwapped: number;
  /** Index of the source face used (default: the largest). */
  sourceFace: number;
  backend: string;
  swapper: string;
  ms: Record<'decode' | 'detect' | 'warp' | 'colour' | 'blend' | 'encode' | 'total', number>;
  output: string;
  touched: string;
  sourceBoxes: [number, number, number, number][];
  targetBoxes: [number, number, number, number][];
}

export interface AutomationError {
  error: { code: string; message: string };
}

function fromBase64(b64: string): Uint8Array<ArrayBuffer> {
  return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
}

function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

let client: EngineClient | null = null;
let info: EngineInfo | null = null;

async function init(backend: BackendChoice): Promise<EngineInfo> {
  client ??= EngineClient.create();
  info = await client.init({
    backend,
    modelBaseUrl: defaultConfig.modelBaseUrl,
    wasmBaseUrl: defaultConfig.wasmBaseUrl,
  });
  return info;
}

async function analyzeBytes(b64: string) {
  if (!client) throw new Error('call init first');
  const bitmap = await decodeImageFile(new Blob([fromBase64(b64)]));
  const analysed = await client.analyze(bitmap);
  analysed.faces.forEach((f) => f.thumbnail.close());
  await client.release(analysed.imageId);
  return {
    width: analysed.width,
    height: analysed.height,
    faces: analysed.faces.map(({ box, score, rollDeg }) => ({ box, score, rollDeg })),
  };
}

async function swap(request: AutomationRequest): Promise<AutomationResult> {
  if (!client || !info) throw new Error('call init first');
  const started = performance.now();
  const sourceBitmap = await decodeImageFile(new Blob([fromBase64(request.source)]));
  const targetBitmap = await decodeImageFile(new Blob([fromBase64(request.target)]));
  const decoded = performance.now();
  const source = await client.analyze(sourceBitmap);
  const target = await client.analyze(targetBitmap);
  const detected = performance.now();
  try {
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
    const largest = source.faces.reduce((a, b) => (b.box[2] * b.box[3] > a.box[2] * a.box[3] ? b : a));
    const sourceFace = request.sourceFace ?? largest.index;
    const result = await client.swap({
      sourceId: source.imageId,
      sourceFace,
      targetId: target.imageId,
      targetFaces: request.faces === 'all' ? undefined : request.faces,
      blend: { ...defaultConfig.blend, ...request.blend },
    });
    result.bitmap.close();
    const swapped = performance.now();
    const blob = await client.encode(result.resultId, request.format, request.quality ?? 0.92);
    const output = new Uint8Array(await blob.arrayBuffer());
    const encoded = performance.now();
    await client.release(result.resultId);
    return {
      facesFound: { source: source.faces.length, target: target.faces.length },
      facesSwapped: result.facesSwapped,
      sourceFace,
      backend: info.backend,
      swapper: info.swapper,
      ms: {
        decode: decoded - started,
        detect: detected - decoded,
        warp: result.ms.warp ?? 0,
        colour: result.ms.colour ?? 0,
        blend: result.ms.blend ?? 0,
        encode: encoded - swapped,
        total: encoded - started,
      },
      output: toBase64(output),
      touched: toBase64(result.touched),
      sourceBoxes: source.faces.map((f) => f.box),
      targetBoxes: target.faces.map((f) => f.box),
    };
  } finally {
    source.faces.concat(target.faces).forEach((f) => f.thumbnail.close());
    await client.release(source.imageId);
    await client.release(target.imageId);
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
  init: (backend: BackendChoice) => guarded(() => init(backend)),
  analyze: (b64: string) => guarded(() => analyzeBytes(b64)),
  swap: (request: AutomationRequest) => guarded(() => swap(request)),
};

declare global {
  interface Window {
    doppel: typeof api;
  }
}

window.doppel = api;
document.body.dataset.ready = 'true';
