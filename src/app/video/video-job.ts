import { computed, effect, signal } from '@preact/signals';
import { DoppelError, toDoppelError } from '../../shared/errors';
import { newId } from '../../shared/ids';
import type {
  VideoContainer,
  VideoProgress,
  VideoQuality,
  VideoSwapResult,
} from '../../workers/engine/client';
import { appSettings, videoQualityOf } from '../state/app-settings';
import { readyEngine } from '../state/engine';
import { entitled } from '../state/entitlements';
import { analysedMoreSources } from '../state/more-sources';
import { analysedPhoto, source } from '../state/photos';
import { mappingFor, photoFaces, slotFaces, videoChoice } from '../state/face-choice';
import { choiceLost, swapOptions } from '../state/swap';
import { deleteOutput, deleteOutputsBut, outputFile } from './video-output';
import { chosenFaces, frame, frameError, frameLoading, trim, video } from './video-input';

/** A finished video in OPFS, ready to play and save. */
export interface VideoOutput {
  result: VideoSwapResult;
  file: File;
  /** Object URL of the OPFS file, for the <video> element and the download link. */
  url: string;
  /** `doppel-<input name>.<mp4|webm>` */
  saveName: string;
}

export const outputContainer = signal<VideoContainer>('mp4');
/** Starts from the Settings screen's video preset. */
export const outputQuality = signal<VideoQuality>(videoQualityOf[appSettings.value.video]);

/** Progress of the running job without its preview frame; null when no job runs. */
export const jobProgress = signal<Omit<VideoProgress, 'preview'> | null>(null);
export const jobPaused = signal(false);
export const jobError = signal<DoppelError | null>(null);
/** The latest processed frame of the running job (closed when the next one arrives). */
export const jobPreview = signal<ImageBitmap | null>(null);
export const output = signal<VideoOutput | null>(null);

/** The faces of the trim-start frame, as reference mode and mapping name them. */
export const frameFaces = computed(() => photoFaces(frame.value, 'Frame'));

/** The Video screen's mapping (undefined: its chosen faces; null: not finished). */
export const videoMapping = computed(() => {
  const photo = source.photo.value;
  const face = source.selected.value[0];
  const main = photo && face !== undefined ? { imageId: photo.imageId, face } : null;
  return mappingFor(videoChoice, [...frameFaces.value, ...slotFaces(source)], main);
});

export const canStart = computed(
  () =>
    jobProgress.value === null &&
    video.value !== null &&
    frame.value !== null &&
    // A trim-start frame still loading (or failed) would leave the face indices stale.
    !frameLoading.value &&
    frameError.value === null &&
    (videoMapping.value === undefined ? chosenFaces.value.length > 0 : videoMapping.value !== null) &&
    source.photo.value !== null &&
    source.selected.value.length === 1 &&
    entitled('video'),
);

let running: { abort: AbortController; pause(): void; resume(): void } | null = null;

function showPreview(bitmap: ImageBitmap | null): void {
  const old = jobPreview.value;
  jobPreview.value = bitmap;
  old?.close();
}

/** Deletes the shown output from disk and stops showing it. */
export async function discardOutput(): Promise<void> {
  const old = output.value;
  if (!old) return;
  output.value = null;
  URL.revokeObjectURL(old.url);
  await deleteOutput(old.result.outputName);
}

// A plan that stops including video swaps (a license removed or expired) cancels the running job.
effect(() => {
  if (!entitled('video')) cancelVideo();
});

/**
 * Swaps the chosen faces through the trim range into a new OPFS file. The output shown stays until
 * the new one is done (then it is deleted); leftovers of pages closed mid-job are deleted first.
 * Progress, pause and cancel work while it runs; the worker deletes the file of a failed or
 * cancelled run.
 */
export async function startVideo(): Promise<void> {
  const opened = video.value;
  const chosen = frame.value;
  const from = source.photo.value;
  const sourceFace = source.selected.value[0];
  if (!opened || !chosen || !from || sourceFace === undefined || !canStart.value) return;
  const abort = new AbortController();
  running = { abort, pause: () => undefined, resume: () => undefined };
  const job = running;
  jobError.value = null;
  jobPaused.value = false;
  const container = outputContainer.value;
  const outputName = `${newId('video')}.${container}`;
  jobProgress.value = {
    stage: 'decode',
    fraction: 0,
    message: 'Starting',
    framesDone: 0,
    framesTotal: 0,
    fps: 0,
    etaS: null,
  };
  try {
    await deleteOutputsBut(output.value?.result.outputName ?? null);
    const engine = await readyEngine();
    // A source photo analysed by an engine that stopped since is analysed again by this one.
    const sourcePhoto = await analysedPhoto(source, engine, abort.signal);
    await analysedMoreSources(engine);
    if (!sourcePhoto) throw new DoppelError('CANCELLED');
    const mapping = videoMapping.value;
    if (mapping === null) throw new DoppelError('NO_FACE_SELECTED', choiceLost);
    const result = await engine.swapVideo(
      {
        ...swapOptions(sourcePhoto.imageId, source.selected.value[0] ?? sourceFace),
        mapping,
        video: opened.file,
        targetFaces: chosenFaces.value,
        // The faces were chosen on this frame: the run starts there.
        trim: { startS: chosen.timeS, endS: trim.value.endS },
        container,
        quality: outputQuality.value,
        outputName,
      },
      {
        signal: abort.signal,
        // A pause pressed while the job was being set up goes to the worker with the job's start.
        onStart: (controls) => {
          Object.assign(job, controls);
          if (jobPaused.value) controls.pause();
        },
        onProgress: ({ preview, ...progress }) => {
          // A call may land after the job has ended (it comes through its own message port).
          if (running !== job) {
            preview?.close();
            return;
          }
          if (preview) showPreview(preview);
          jobProgress.value = progress;
        },
      },
    );
    if (abort.signal.aborted) throw new DoppelError('CANCELLED');
    const file = await outputFile(result.outputName);
    const base = opened.file.name.replace(/\.[^.]*$/, '') || 'video';
    await discardOutput();
    output.value = { result, file, url: URL.createObjectURL(file), saveName: `doppel-${base}.${container}` };
  } catch (error) {
    jobError.value = toDoppelError(error);
  } finally {
    running = null;
    jobProgress.value = null;
    jobPaused.value = false;
    showPreview(null);
  }
}

export function pauseVideo(): void {
  running?.pause();
  if (running) jobPaused.value = true;
}

export function resumeVideo(): void {
  running?.resume();
  jobPaused.value = false;
}

export function cancelVideo(): void {
  running?.abort.abort();
}
