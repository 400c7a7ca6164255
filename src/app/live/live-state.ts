import { computed, effect, signal, untracked } from '@preact/signals';
import { DoppelError, toDoppelError } from '../../shared/errors';
import type { EngineClient, LiveFrameResult } from '../../workers/engine/client';
import { readyEngine } from '../state/engine';
import { entitled } from '../state/entitlements';
import { analysedMoreSources } from '../state/more-sources';
import { analysedPhoto, source } from '../state/photos';
import { liveChoice, mappingFor, slotFaces } from '../state/face-choice';
import { swapOptions } from '../state/swap';
import { appSettings, cameraSizeOf } from '../state/app-settings';
import { listCameras, openCamera, stopCamera, type Camera } from './camera';
import { readFrames, type FrameReader, type FrameReaderKind } from './frame-reader';
import { LiveStats, type LiveFigures } from './live-stats';
import { popOut } from './pop-out';
import { CanvasRecorder, recordingName } from './recorder';

export type LivePhase = 'idle' | 'starting' | 'running';

export const livePhase = signal<LivePhase>('idle');
export const liveError = signal<DoppelError | null>(null);
export const cameras = signal<Camera[]>([]);
/** The camera in use or to use; null for the browser's default. */
export const cameraId = signal<string | null>(null);
/** Show the output as a mirror does (a selfie view). */
export const mirror = signal(true);
export const figures = signal<LiveFigures | null>(null);
export const readerKind = signal<FrameReaderKind | null>(null);
export const recording = signal(false);
/** The last finished recording, offered for download again. */
export const lastRecording = signal<{ url: string; name: string; bytes: number } | null>(null);
export const poppedOut = signal(false);

/** The source face chosen on the Swap screen, or null while there is none (or the plan lacks the live camera). */
export const liveSource = computed(() => {
  if (!entitled('live-camera')) return null;
  const photo = source.photo.value;
  const face = source.selected.value[0];
  return photo && face !== undefined ? { imageId: photo.imageId, face } : null;
});

/** Live's own reference faces (the reference photo's are added to them): the source photo's. */
export const liveFaces = computed(() => slotFaces(source));

/** Live's mapping (undefined: every face in view; null: reference mode or mapping not finished). */
export const liveMapping = computed(() => mappingFor(liveChoice, liveFaces.value, liveSource.value));

/** One run of the camera: its stream, its reader, its worker session. */
interface Run {
  engine: EngineClient;
  stream: MediaStream | null;
  reader: FrameReader | null;
  sessionId: string;
  busy: boolean;
  stats: LiveStats;
  canvas: HTMLCanvasElement;
  recorder: CanvasRecorder | null;
  closePopOut: (() => void) | null;
}

let run: Run | null = null;
/** Bumped by each start and stop, so that a start still waiting for the engine knows it was stopped. */
let attempt = 0;

function draw(canvas: HTMLCanvasElement, bitmap: ImageBitmap): void {
  if (canvas.width !== bitmap.width || canvas.height !== bitmap.height) {
    canvas.width = bitmap.width;
    canvas.height = bitmap.height;
  }
  canvas.getContext('2d', { alpha: false })?.drawImage(bitmap, 0, 0);
  bitmap.close();
}

/** Swaps one frame when the worker is free; a frame that comes while it is busy is dropped, never queued. */
function onFrame(current: Run, frame: VideoFrame | ImageBitmap, capturedAt: number): void {
  if (current.busy || run !== current) {
    frame.close();
    current.stats.dropped++;
    return;
  }
  current.busy = true;
  current.engine
    .swapLiveFrame(current.sessionId, frame)
    .then((result: LiveFrameResult) => {
      if (run !== current) return result.bitmap.close();
      draw(current.canvas, result.bitmap);
      current.stats.drawn(capturedAt, result);
    })
    .catch((error: unknown) => {
      const failure = toDoppelError(error);
      if (run === current && failure.code !== 'CANCELLED') fail(failure);
    })
    .finally(() => (current.busy = false));
}

function sessionRequest() {
  const chosen = liveSource.value;
  if (!chosen) throw new Error('No source face');
  const mapping = liveMapping.value ?? undefined;
  return { ...swapOptions(chosen.imageId, chosen.face), mapping, mirror: mirror.value };
}

function fail(error: DoppelError): void {
  liveError.value = error;
  stopLive();
}

/** Starts the camera (the chosen one) and the worker session, drawing swapped frames on `canvas`. */
export async function startLive(canvas: HTMLCanvasElement): Promise<void> {
  if (run || !liveSource.value) return;
  const mine = ++attempt;
  liveError.value = null;
  livePhase.value = 'starting';
  let engine: EngineClient;
  try {
    engine = await readyEngine();
    // A source photo analysed by an engine that stopped since is analysed again by this one.
    await analysedPhoto(source, engine);
    await analysedMoreSources(engine);
  } catch (error) {
    if (mine === attempt) fail(toDoppelError(error));
    return;
  }
  if (mine !== attempt) return;
  const current: Run = {
    engine,
    stream: null,
    reader: null,
    sessionId: crypto.randomUUID(),
    busy: false,
    stats: new LiveStats((value) => (figures.value = value)),
    canvas,
    recorder: null,
    closePopOut: null,
  };
  run = current;
  try {
    current.stream = await openCamera(cameraId.value, cameraSizeOf[appSettings.value.live]);
    if (run !== current) return stopCamera(current.stream);
    const track = current.stream.getVideoTracks()[0];
    if (!track) throw new Error('The camera stream has no video track');
    track.addEventListener('ended', () => run === current && fail(new DoppelError('CAMERA_NOT_FOUND')));
    cameraId.value = track.getSettings().deviceId ?? cameraId.value;
    cameras.value = await listCameras();
    // A stop pressed meanwhile: no worker session for this run.
    if (run !== current) return;
    await current.engine.startLive(current.sessionId, sessionRequest());
    if (run !== current) return void current.engine.stopLive(current.sessionId);
    current.reader = readFrames(
      track,
      (frame, capturedAt) => onFrame(current, frame, capturedAt),
      (error) => run === current && fail(toDoppelError(error)),
    );
    readerKind.value = current.reader.kind;
    livePhase.value = 'running';
  } catch (error) {
    if (run === current) fail(toDoppelError(error));
  }
}

/** Stops the camera (its light goes off), the worker session, a recording (saved) and the pop-out. */
export function stopLive(): void {
  attempt++;
  livePhase.value = 'idle';
  const current = run;
  if (!current) return;
  run = null;
  current.reader?.stop();
  if (current.stream) stopCamera(current.stream);
  void current.engine.stopLive(current.sessionId);
  current.stats.stop();
  current.closePopOut?.();
  if (current.recorder) void finishRecording(current.recorder);
  readerKind.value = null;
  figures.value = null;
}

// A plan that stops including the live camera (a license removed or expired) stops the run.
effect(() => {
  if (!entitled('live-camera')) untracked(stopLive);
});

/** Switches to another camera, restarting the run when one is going. */
export async function chooseCamera(deviceId: string): Promise<void> {
  cameraId.value = deviceId;
  const current = run;
  if (!current || livePhase.value !== 'running') return;
  stopLive();
  await startLive(current.canvas);
}

/** A running session restarts its tracking with the request as it now is. */
async function restartSession(): Promise<void> {
  const current = run;
  if (!current || livePhase.value !== 'running') return;
  await current.engine.startLive(current.sessionId, sessionRequest()).catch((error: unknown) => {
    if (run === current) fail(toDoppelError(error));
  });
}

/** Mirrors the output or not; a running session restarts its tracking with the new setting. */
export async function setMirror(on: boolean): Promise<void> {
  mirror.value = on;
  await restartSession();
}

// A finished change of which faces to swap (reference mode, mapping, back to every face) applies at once.
effect(() => {
  if (liveMapping.value !== null) untracked(() => void restartSession());
});

async function finishRecording(recorder: CanvasRecorder): Promise<void> {
  recording.value = false;
  try {
    const blob = await recorder.stop();
    const name = recordingName(new Date());
    const previous = lastRecording.value;
    if (previous) URL.revokeObjectURL(previous.url);
    lastRecording.value = { url: URL.createObjectURL(blob), name, bytes: blob.size };
    const link = document.createElement('a');
    link.href = lastRecording.value.url;
    link.download = name;
    link.click();
  } catch (error) {
    liveError.value = toDoppelError(error, 'RECORDING_FAILED');
  }
}

/** Starts recording the live canvas, or stops and downloads the WebM file. */
export function toggleRecording(): void {
  const current = run;
  if (!current) return;
  if (current.recorder) {
    const recorder = current.recorder;
    current.recorder = null;
    void finishRecording(recorder);
    return;
  }
  try {
    current.recorder = new CanvasRecorder(current.canvas);
    recording.value = true;
  } catch (error) {
    liveError.value = toDoppelError(error, 'RECORDING_FAILED');
  }
}

/** Pops the live canvas out into a Picture-in-Picture window, or brings it back. */
export async function togglePopOut(home: HTMLElement): Promise<void> {
  const current = run;
  if (!current) return;
  if (current.closePopOut) return current.closePopOut();
  try {
    const close = await popOut(current.canvas, home, () => {
      current.closePopOut = null;
      poppedOut.value = false;
    });
    // Stopped while the window opened: close it again.
    if (run !== current) return close();
    current.closePopOut = close;
    poppedOut.value = true;
  } catch (error) {
    liveError.value = toDoppelError(error, 'POP_OUT_FAILED');
  }
}

/** Stops the run when the page is hidden, unless the pop-out window is showing it (screen-sharing). */
export function stopWhenHidden(): () => void {
  const onHide = () => {
    if (document.visibilityState === 'hidden' && !poppedOut.value) stopLive();
  };
  document.addEventListener('visibilitychange', onHide);
  window.addEventListener('pagehide', stopLive);
  return () => {
    document.removeEventListener('visibilitychange', onHide);
    window.removeEventListener('pagehide', stopLive);
  };
}
