import { computed, signal } from '@preact/signals';
import { defaultConfig } from '../../shared/config';
import { DoppelError, toDoppelError } from '../../shared/errors';
import type { EngineKind, ImageFormat, Progress, SwapRequest } from '../../workers/engine/client';
import { readyEngine } from './engine';
import { moreSources, moreSourcesLoading } from './more-sources';
import { activeEngine, neuralRequest } from './neural';
import { onPhotoReplaced, source, target } from './photos';
import { swapSettings } from './settings';

export interface SwapOutcome {
  resultId: string;
  width: number;
  height: number;
  bitmap: ImageBitmap;
  facesSwapped: number;
  engine: EngineKind;
  /** The neural engine's execution provider. */
  provider?: 'webgpu' | 'wasm';
  /** How the swap had to change course (e.g. the GPU was lost and WASM finished it), in words. */
  notice?: string;
  /** The target photo the result was made from, for the before/after comparison. */
  targetUrl: string;
  targetName: string;
}

/** Progress of the running swap, null when idle. */
export const swapProgress = signal<Progress | null>(null);
export const swapError = signal<DoppelError | null>(null);
export const result = signal<SwapOutcome | null>(null);

export const canSwap = computed(
  () =>
    swapProgress.value === null &&
    source.loading.value === null &&
    target.loading.value === null &&
    moreSourcesLoading.value === null &&
    source.photo.value !== null &&
    target.photo.value !== null &&
    source.selected.value.length === 1 &&
    target.selected.value.length > 0,
);

let running: AbortController | null = null;

/** Called with each finished swap (local history keeps it there when the user opted in). */
export const onResult: ((outcome: SwapOutcome) => void)[] = [];

function dropResult(): void {
  const old = result.value;
  if (!old) return;
  result.value = null;
  old.bitmap.close();
  void readyEngine().then((engine) => engine.release(old.resultId));
}

/** Abort reason when a new photo makes the running swap pointless (not an error to show). */
const photoChanged = 'photo-changed';

onPhotoReplaced(() => {
  running?.abort(photoChanged);
  dropResult();
});

/** The request for the engine in use: the built-in one's blend, or the neural options and extra photos. */
function swapRequest(sourceId: string, sourceFace: number, targetId: string): SwapRequest {
  const settings = swapSettings.value;
  const request: SwapRequest = {
    sourceId,
    sourceFace,
    targetId,
    targetFaces: target.selected.value,
    engine: activeEngine.value,
    blend: {
      ...defaultConfig.blend,
      strength: settings.strength / 100,
      keepMouth: settings.keepMouth,
      keepEyes: settings.keepEyes,
    },
  };
  if (request.engine === 'neural') {
    request.neural = neuralRequest.value;
    request.moreSources = moreSources.value.map((e) => ({ sourceId: e.imageId, sourceFace: e.face.index }));
  }
  return request;
}

export async function swap(): Promise<void> {
  const from = source.photo.value;
  const to = target.photo.value;
  const sourceFace = source.selected.value[0];
  if (!from || !to || sourceFace === undefined || !canSwap.value) return;
  const job = new AbortController();
  running = job;
  swapError.value = null;
  const request = swapRequest(from.imageId, sourceFace, to.imageId);
  swapProgress.value = {
    stage: request.engine === 'neural' ? 'align' : 'warp',
    fraction: 0,
    message: 'Starting the swap',
  };
  try {
    const engine = await readyEngine();
    const output = await engine.swap(request, {
      signal: job.signal,
      onProgress: (progress) => (swapProgress.value = progress),
    });
    if (job.signal.aborted) {
      output.bitmap.close();
      void engine.release(output.resultId);
      throw new DoppelError('CANCELLED');
    }
    dropResult();
    result.value = {
      resultId: output.resultId,
      width: output.width,
      height: output.height,
      bitmap: output.bitmap,
      facesSwapped: output.facesSwapped,
      engine: output.engine,
      provider: output.provider,
      notice: output.notice,
      targetUrl: to.url,
      targetName: to.name,
    };
    onResult.forEach((listen) => listen(result.value!));
  } catch (error) {
    if (job.signal.reason !== photoChanged) swapError.value = toDoppelError(error);
  } finally {
    if (running === job) running = null;
    swapProgress.value = null;
  }
}

export function cancelSwap(): void {
  running?.abort();
}

export const downloadFormat = signal<ImageFormat>('png');
export const downloading = signal(false);
export const downloadError = signal<DoppelError | null>(null);

/** `doppel-<target name without extension>.<png|jpg>` */
export function downloadName(targetName: string, format: ImageFormat): string {
  const base = targetName.replace(/\.[^.]*$/, '') || 'photo';
  return `doppel-${base}.${format === 'png' ? 'png' : 'jpg'}`;
}

export async function download(): Promise<void> {
  const outcome = result.value;
  if (!outcome || downloading.value) return;
  const format = downloadFormat.value;
  downloading.value = true;
  downloadError.value = null;
  try {
    const engine = await readyEngine();
    const blob = await engine.encode(outcome.resultId, format, 0.92);
    const url = URL.createObjectURL(blob);
    const link = document.createElement('a');
    link.href = url;
    link.download = downloadName(outcome.targetName, format);
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  } catch (error) {
    downloadError.value = toDoppelError(error);
  } finally {
    downloading.value = false;
  }
}
