import { signal } from '@preact/signals';
import { DoppelError, toDoppelError } from '../../shared/errors';
import type { FaceInfo, VideoInfo } from '../../workers/engine/client';
import { readyEngine } from '../state/engine';

/** The video the user opened, and what its container says about it. */
export interface OpenedVideo {
  file: File;
  info: VideoInfo;
}

/** The frame at the trim start, its faces (analysed by the engine) and a copy to show. */
export interface ChosenFrame {
  timeS: number;
  /** The decoded frame as it is shown (the engine holds its own copy under imageId). */
  image: ImageBitmap;
  imageId: string;
  faces: FaceInfo[];
}

export const video = signal<OpenedVideo | null>(null);
export const opening = signal(false);
export const openError = signal<DoppelError | null>(null);

/** The part of the video to swap, in seconds; its start is also the frame the faces are chosen on. */
export const trim = signal({ startS: 0, endS: 0 });

export const frame = signal<ChosenFrame | null>(null);
export const frameLoading = signal(false);
export const frameError = signal<DoppelError | null>(null);
/** Indices into the frame's faces: all of them by default. */
export const chosenFaces = signal<number[]>([]);

/** Told when the frame (and so its faces) is replaced: a preview made on the old one is stale. */
const frameListeners: Array<() => void> = [];

export function onFrameReplaced(listener: () => void): void {
  frameListeners.push(listener);
}

let frameRequest = 0;

function dropFrame(): void {
  const old = frame.value;
  if (!old) return;
  frame.value = null;
  old.image.close();
  for (const face of old.faces) face.thumbnail.close();
  void readyEngine().then((engine) => engine.release(old.imageId));
}

let openRequest = 0;

/**
 * Reads a video's tracks and shows its first frame's faces. The video already open stays until
 * the new one has been read, and stays for good when the new file is bad; a later call wins.
 */
export async function openVideo(file: File): Promise<void> {
  const request = ++openRequest;
  openError.value = null;
  opening.value = true;
  try {
    const engine = await readyEngine();
    const info = await engine.videoInfo(file);
    if (request !== openRequest) return;
    if (!info.videoCodec)
      throw new DoppelError('VIDEO_CODEC_UNSUPPORTED', undefined, { container: info.container });
    video.value = { file, info };
    trim.value = { startS: 0, endS: info.durationS };
    dropFrame();
    for (const listener of frameListeners) listener();
    void loadFrame(0);
  } catch (error) {
    if (request === openRequest) openError.value = toDoppelError(error);
  } finally {
    if (request === openRequest) opening.value = false;
  }
}

/** Decodes the frame at timeS and finds its faces; a later call wins over one still running. */
export async function loadFrame(timeS: number): Promise<void> {
  const opened = video.value;
  if (!opened) return;
  const request = ++frameRequest;
  frameLoading.value = true;
  frameError.value = null;
  try {
    const engine = await readyEngine();
    const decoded = await engine.videoFrame(opened.file, timeS);
    const image = await createImageBitmap(decoded).catch((error: unknown) => {
      decoded.close();
      throw error;
    });
    // analyze transfers `decoded` to the worker; closing it after that does nothing.
    const analysis = await engine.analyze(decoded).catch((error: unknown) => {
      image.close();
      decoded.close();
      throw error;
    });
    if (request !== frameRequest || video.value !== opened) {
      image.close();
      for (const face of analysis.faces) face.thumbnail.close();
      void engine.release(analysis.imageId);
      return;
    }
    dropFrame();
    frame.value = { timeS, image, imageId: analysis.imageId, faces: analysis.faces };
    chosenFaces.value = analysis.faces.map((f) => f.index);
    for (const listener of frameListeners) listener();
  } catch (error) {
    if (request === frameRequest) frameError.value = toDoppelError(error);
  } finally {
    if (request === frameRequest) frameLoading.value = false;
  }
}

/** Toggles one face of the frame in or out of the swap. */
export function toggleVideoFace(index: number): void {
  const chosen = chosenFaces.value;
  chosenFaces.value = chosen.includes(index)
    ? chosen.filter((i) => i !== index)
    : [...chosen, index].sort((a, b) => a - b);
}
