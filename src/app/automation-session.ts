import { base64ToBytes } from '../shared/bytes';
import type { BackendChoice } from '../shared/config';
import { defaultConfig } from '../shared/config';
import { DoppelError } from '../shared/errors';
import { decodeImageFile } from '../shared/image-file';
import {
  EngineClient,
  type AnalyzeResult,
  type EngineInfo,
  type EngineSettings,
} from '../workers/engine/client';

/**
 * The automation page's one engine (started by `init`, reused for every call) and what every job of
 * the page shares: decoding base64 photos, releasing analyses, the running job's cancel, and
 * DoppelErrors handed back as data.
 */

export interface AutomationError {
  error: { code: string; message: string };
}

let client: EngineClient | null = null;
let info: EngineInfo | null = null;

/** Engine settings a driver may set: WASM threads (benches), readback counting and fault injection (tests). */
export type EngineOptions = Pick<EngineSettings, 'threads' | 'countReadbacks' | 'faultInjection'>;

export async function init(backend: BackendChoice, options: EngineOptions = {}): Promise<EngineInfo> {
  client ??= EngineClient.create();
  info = await client.init({
    backend,
    ...options,
    modelBaseUrl: defaultConfig.modelBaseUrl,
    wasmBaseUrl: defaultConfig.wasmBaseUrl,
  });
  return info;
}

/** The started engine and what it runs on; throws before `init`. */
export function session(): { engine: EngineClient; info: EngineInfo } {
  if (!client || !info) throw new Error('call init first');
  return { engine: client, info };
}

export const decodeBase64 = (b64: string): Promise<ImageBitmap> =>
  decodeImageFile(new Blob([base64ToBytes(b64)]));

export async function release(analysis: AnalyzeResult): Promise<void> {
  analysis.faces.forEach((f) => f.thumbnail.close());
  await client?.release(analysis.imageId);
}

/** Analyses the source photo (base64); NO_FACE_FOUND, the analysis released, when it shows no face. */
export async function analyzeSource(engine: EngineClient, b64: string): Promise<AnalyzeResult> {
  const source = await engine.analyze(await decodeBase64(b64), { hands: false });
  if (source.faces.length > 0) return source;
  await release(source);
  throw new DoppelError(
    'NO_FACE_FOUND',
    'No face was found in the source photo. Choose a photo with a clearly visible face.',
  );
}

let running: AbortController | null = null;

/** Runs a cancellable job: `cancel` aborts the signal it is given. */
export async function cancellable<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  running = controller;
  try {
    return await work(controller.signal);
  } finally {
    if (running === controller) running = null;
  }
}

/** Cancels the running GIF or video job (CANCELLED). */
export function cancel(): void {
  running?.abort();
}

/** Runs a call and returns DoppelErrors as data, so callers outside the page see code and message. */
export async function guarded<T>(work: () => Promise<T>): Promise<T | AutomationError> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof DoppelError) return { error: { code: error.code, message: error.message } };
    throw error;
  }
}
