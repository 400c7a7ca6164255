import { computed, signal } from '@preact/signals';
import { defaultConfig } from '../../shared/config';
import { DoppelError, toDoppelError } from '../../shared/errors';
import type { ImageFormat, Progress } from '../../workers/engine/client';
import { readyEngine } from './engine';
import { onPhotoReplaced, source, target } from './photos';

/** Blend strength in percent (0–100). */
export const strength = signal(Math.round(defaultConfig.blend.strength * 100));
export const keepMouth = signal(defaultConfig.blend.keepMouth);
export const keepEyes = signal(defaultConfig.blend.keepEyes);

export interface SwapOutcome {
  resultId: string;
  width: number;
  height: number;
  bitmap: ImageBitmap;
  facesSwapped: number;
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

export async function swap(): Promise<void> {
  const from = source.photo.value;
  const to = target.photo.value;
  const sourceFace = source.selected.value[0];
  if (!from || !to || sourceFace === undefined || !canSwap.value) return;
  const job = new AbortController();
  running = job;
  swapError.value = null;
  swapProgress.value = { stage: 'warp', fraction: 0, message: 'Starting the swap' };
  try {
    const engine = await readyEngine();
    const output = await engine.swap(
      {
        sourceId: from.imageId,
        sourceFace,
        targetId: to.imageId,
        targetFaces: target.selected.value,
        blend: {
          ...defaultConfig.blend,
          strength: strength.value / 100,
          keepMouth: keepMouth.value,
          keepEyes: keepEyes.value,
        },
      },
      { signal: job.signal, onProgress: (progress) => (swapProgress.value = progress) },
    );
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
