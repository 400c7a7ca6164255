import { computed, signal } from '@preact/signals';
import { labelledPhoto } from '../../shared/ai-label';
import { defaultConfig } from '../../shared/config';
import { DoppelError, toDoppelError } from '../../shared/errors';
import type {
  EngineClient,
  EngineKind,
  ImageFormat,
  Progress,
  SkippedFace,
  SwapOptions,
  SwapRequest,
} from '../../workers/engine/client';
import { readyEngine } from './engine';
import { entitled } from './entitlements';
import { analysedMoreSources, moreSources, moreSourcesLoading } from './more-sources';
import { activeEngine, neuralRequest } from './neural';
import { mappingFor, slotFaces, swapChoice } from './face-choice';
import { analysedPhoto, onPhotoReplaced, source, target, type Photo } from './photos';
import { swapSettings } from './settings';

/** A swapped still photo (kept in the worker under resultId until released). */
export interface SwapOutcome {
  kind: 'photo';
  resultId: string;
  width: number;
  height: number;
  bitmap: ImageBitmap;
  facesSwapped: number;
  /** Chosen target faces left as they were (numbered as the target's faces), with the reason. */
  skipped: SkippedFace[];
  engine: EngineKind;
  /** The neural engine's execution provider. */
  provider?: 'webgpu' | 'wasm';
  /** How the swap had to change course (e.g. the GPU was lost and WASM finished it), in words. */
  notice?: string;
  /** The target photo the result was made from, for the before/after comparison. */
  targetUrl: string;
  targetName: string;
}

/** A swapped animated GIF: every frame, delays and loop count kept. */
export interface GifOutcome {
  kind: 'gif';
  gif: Blob;
  /** Object URL of the swapped GIF (an <img> of it animates). */
  url: string;
  width: number;
  height: number;
  frames: number;
  framesSwapped: number;
  facesTracked: number;
  engine: EngineKind;
  provider?: 'webgpu' | 'wasm';
  targetUrl: string;
  targetName: string;
}

/** Progress of the running swap, null when idle. */
export const swapProgress = signal<Progress | null>(null);
export const swapError = signal<DoppelError | null>(null);
export const result = signal<SwapOutcome | GifOutcome | null>(null);

/** The Swap screen's mapping (undefined: its chosen faces; null: reference mode or mapping not finished). */
export const swapMapping = computed(() => {
  const photo = source.photo.value;
  const face = source.selected.value[0];
  const main = photo && face !== undefined ? { imageId: photo.imageId, face } : null;
  const faces = [...slotFaces(target), ...slotFaces(source)];
  return mappingFor(swapChoice, faces, main);
});

export const canSwap = computed(
  () =>
    swapProgress.value === null &&
    source.loading.value === null &&
    target.loading.value === null &&
    moreSourcesLoading.value === null &&
    source.photo.value !== null &&
    target.photo.value !== null &&
    source.selected.value.length === 1 &&
    (swapMapping.value === undefined ? target.selected.value.length > 0 : swapMapping.value !== null) &&
    ((target.photo.value?.frames ?? 1) <= 1 || entitled('gif')),
);

let running: AbortController | null = null;

/** Called with each finished photo swap (local history keeps it there when the user opted in; animations are not kept). */
export const onResult: ((outcome: SwapOutcome) => void)[] = [];

function dropResult(): void {
  const old = result.value;
  if (!old) return;
  result.value = null;
  if (old.kind === 'gif') {
    URL.revokeObjectURL(old.url);
    return;
  }
  old.bitmap.close();
  void readyEngine().then((engine) => engine.release(old.resultId));
}

/** Abort reason when a new photo makes the running swap pointless (not an error to show). */
const photoChanged = 'photo-changed';

onPhotoReplaced(() => {
  running?.abort(photoChanged);
  dropResult();
});

/**
 * How to swap with the engine in use, whatever the target (photo, GIF, video, camera): the source
 * face, the built-in engine's blend, or the neural options and extra source photos.
 */
export function swapOptions(sourceId: string, sourceFace: number): SwapOptions {
  const settings = swapSettings.value;
  const options: SwapOptions = {
    sourceId,
    sourceFace,
    engine: activeEngine.value,
    blend: {
      ...defaultConfig.blend,
      strength: settings.strength / 100,
      keepMouth: settings.keepMouth,
      keepEyes: settings.keepEyes,
      hands: settings.keepHands,
    },
  };
  if (options.engine === 'neural') {
    options.neural = neuralRequest.value;
    options.moreSources = moreSources.value.map((e) => ({ sourceId: e.imageId, sourceFace: e.face.index }));
  }
  return options;
}

/** What one swap job needs: the engine, the shared options, the target and its chosen faces. */
interface SwapJob {
  engine: EngineClient;
  options: SwapOptions;
  to: Photo;
  targetFaces: number[];
  signal: AbortSignal;
}

async function swapPhoto({ engine, options, to, targetFaces, signal }: SwapJob): Promise<SwapOutcome> {
  const request: SwapRequest = { ...options, targetId: to.imageId, targetFaces };
  const output = await engine.swap(request, {
    signal,
    onProgress: (progress) => (swapProgress.value = progress),
  });
  if (signal.aborted) {
    output.bitmap.close();
    void engine.release(output.resultId);
    throw new DoppelError('CANCELLED');
  }
  return {
    kind: 'photo',
    resultId: output.resultId,
    width: output.width,
    height: output.height,
    bitmap: output.bitmap,
    facesSwapped: output.facesSwapped,
    skipped: output.skipped ?? [],
    engine: output.engine,
    provider: output.provider,
    notice: output.notice,
    targetUrl: to.url,
    targetName: to.name,
  };
}

async function swapGif({ engine, options, to, targetFaces, signal }: SwapJob): Promise<GifOutcome> {
  const output = await engine.swapAnimation(
    { ...options, gif: to.file, targetFaces },
    { signal, onProgress: (progress) => (swapProgress.value = progress) },
  );
  if (signal.aborted) throw new DoppelError('CANCELLED');
  return {
    kind: 'gif',
    gif: output.gif,
    url: URL.createObjectURL(output.gif),
    width: output.width,
    height: output.height,
    frames: output.frames,
    framesSwapped: output.framesSwapped,
    facesTracked: output.facesTracked,
    engine: output.engine,
    provider: output.provider,
    targetUrl: to.url,
    targetName: to.name,
  };
}

/** Why a likeness choice made before the engine restarted must be made again. */
export const choiceLost =
  'The photos were analysed again, so the reference face or the mapping no longer applies. Choose them again under "Which faces".';

/** Swaps the chosen faces of the target photo, or of every frame when the target is an animated GIF. */
export async function swap(): Promise<void> {
  const frames = target.photo.value?.frames ?? 1;
  if (!canSwap.value) return;
  const job = new AbortController();
  running = job;
  swapError.value = null;
  const animated = frames > 1;
  swapProgress.value = {
    stage: animated ? 'swap' : activeEngine.value === 'neural' ? 'align' : 'warp',
    fraction: 0,
    message: animated ? `Swapping frame 1 of ${frames}` : 'Starting the swap',
  };
  try {
    const engine = await readyEngine();
    // Photos analysed by an engine that stopped since are analysed again by this one.
    const from = await analysedPhoto(source, engine, job.signal);
    const to = await analysedPhoto(target, engine, job.signal);
    await analysedMoreSources(engine);
    const sourceFace = source.selected.value[0];
    if (!from || !to || sourceFace === undefined) throw new DoppelError('CANCELLED');
    const mapping = swapMapping.value;
    if (mapping === null) throw new DoppelError('NO_FACE_SELECTED', choiceLost);
    const work: SwapJob = {
      engine,
      options: { ...swapOptions(from.imageId, sourceFace), mapping },
      to,
      targetFaces: target.selected.value,
      signal: job.signal,
    };
    const outcome = animated ? await swapGif(work) : await swapPhoto(work);
    dropResult();
    result.value = outcome;
    if (outcome.kind === 'photo') onResult.forEach((listen) => listen(outcome));
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
/** Whether a downloaded photo carries the visible "AI-edited" label in its corner. */
export const visibleLabel = signal(false);
export const downloading = signal(false);
export const downloadError = signal<DoppelError | null>(null);

/** `doppel-<target name without extension>.<png|jpg|gif>` */
export function downloadName(targetName: string, format: ImageFormat | 'gif'): string {
  const base = targetName.replace(/\.[^.]*$/, '') || 'photo';
  return `doppel-${base}.${format === 'jpeg' ? 'jpg' : format}`;
}

function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export async function download(): Promise<void> {
  const outcome = result.value;
  if (!outcome || downloading.value) return;
  if (outcome.kind === 'gif') {
    saveBlob(outcome.gif, downloadName(outcome.targetName, 'gif'));
    return;
  }
  const format = downloadFormat.value;
  downloading.value = true;
  downloadError.value = null;
  try {
    const blob = visibleLabel.value
      ? await labelledPhoto(outcome.bitmap, format, 0.92)
      : await (await readyEngine()).encode(outcome.resultId, format, 0.92);
    saveBlob(blob, downloadName(outcome.targetName, format));
  } catch (error) {
    downloadError.value = toDoppelError(error);
  } finally {
    downloading.value = false;
  }
}
