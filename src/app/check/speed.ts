import { defaultConfig } from '../../shared/config';
import { decodeImageFile } from '../../shared/image-file';
import { newId } from '../../shared/ids';
import type { EngineClient } from '../../workers/engine/client';
import { engineStatus, readyEngine } from '../state/engine';
import probePhoto from './probe-photo.jpg?inline';

/**
 * The system check's speed probe: the built-in engine on a photo bundled with the app (a 640×480
 * crop of a demo photo, written by `npm run limits`; it never leaves the device): one photo swap,
 * then live sessions at 640×480 (the camera) and 1280×720 (a 720p video's frames). A few seconds.
 */

export interface SpeedFacts {
  /** The backend the engine ran on ("wasm", "webgpu"). */
  backend: string;
  /** Milliseconds to find the face in the 640×480 photo and swap it. */
  photoMs: number;
  /** Frames a second of a live session on 1280×720 frames: the swap alone, before decoding and encoding. */
  video720Fps: number;
  /** Frames a second of a live session on 640×480 frames. */
  liveFps: number;
}

/** Frames timed per size, after one untimed frame. */
const timedFrames = 3;

async function photoBitmap(): Promise<ImageBitmap> {
  const blob = await (await fetch(probePhoto)).blob();
  return decodeImageFile(blob);
}

/** Frames a second of a live session swapping `photo` drawn at width×height. */
async function liveFps(
  engine: EngineClient,
  sourceId: string,
  photo: ImageBitmap,
  width: number,
  height: number,
) {
  const sessionId = newId('check');
  await engine.startLive(sessionId, { sourceId, sourceFace: 0, blend: defaultConfig.blend });
  try {
    const canvas = new OffscreenCanvas(width, height);
    canvas.getContext('2d')!.drawImage(photo, 0, 0, width, height);
    let started = 0;
    for (let i = 0; i <= timedFrames; i++) {
      if (i === 1) started = performance.now();
      const result = await engine.swapLiveFrame(sessionId, await createImageBitmap(canvas));
      result.bitmap.close();
    }
    return (timedFrames * 1000) / (performance.now() - started);
  } finally {
    await engine.stopLive(sessionId);
  }
}

/** Measures the engine's speed here; throws when it cannot run (the caller reports that as missing). */
export async function measureSpeed(): Promise<SpeedFacts> {
  const engine = await readyEngine();
  const status = engineStatus.peek();
  const backend = status.state === 'ready' ? status.info.backend : 'unknown';
  const photo = await photoBitmap();
  const copy = await createImageBitmap(photo);
  const started = performance.now();
  const analysis = await engine.analyze(copy);
  try {
    if (analysis.faces.length === 0) throw new Error('no face was found in the bundled photo');
    const swapped = await engine.swap({
      sourceId: analysis.imageId,
      sourceFace: 0,
      targetId: analysis.imageId,
      blend: defaultConfig.blend,
    });
    const photoMs = performance.now() - started;
    swapped.bitmap.close();
    await engine.release(swapped.resultId);
    const video720Fps = await liveFps(engine, analysis.imageId, photo, 1280, 720);
    const live = await liveFps(engine, analysis.imageId, photo, 640, 480);
    // Rounded: the figures are estimates, and the report stays short.
    const tenth = (value: number) => Math.round(value * 10) / 10;
    return { backend, photoMs: Math.round(photoMs), video720Fps: tenth(video720Fps), liveFps: tenth(live) };
  } finally {
    analysis.faces.forEach((face) => face.thumbnail.close());
    photo.close();
    await engine.release(analysis.imageId);
  }
}
