import type { RgbaImage } from '../../gpu/types';
import { throwIfAborted } from '../../shared/errors';
import { checkImageSize } from '../../shared/image-file';
import type { AnimationSwapResult } from '../engine/api';
import type { DetectedFace } from '../engine/faces';
import { readPixels } from '../engine/pixels';
import { FaceTracks } from './face-tracks';
import { openGif } from './gif-decode';
import { GifWriter } from './gif-encode';

/** What the frame loop needs from the engine: find the faces in a frame, swap some of them. */
export interface FrameSwapper {
  detect(frame: ImageBitmap, signal: AbortSignal): Promise<DetectedFace[]>;
  swap(
    frame: RgbaImage,
    faces: DetectedFace[],
    signal: AbortSignal,
  ): Promise<{ image: RgbaImage; times: Record<string, number | undefined> }>;
}

/** The animation result without the engine fields, which the engine adds. */
export type GifSwapOutput = Omit<AnimationSwapResult, 'engine' | 'provider'>;

/** Faces in reading order, as `analyze` numbers them (sorted in place); the video loop shares it. */
export function inOrder(faces: DetectedFace[]): DetectedFace[] {
  return faces.sort((a, b) => a.box[0] - b.box[0] || a.box[1] - b.box[1]);
}

/**
 * Swaps an animated GIF frame by frame, one frame in memory at a time: the first frame's faces are
 * chosen by `choose`, tracked with smoothed meshes through the rest; a frame where every tracked
 * face is lost is kept as it was. Delays and the loop count are kept.
 */
export async function swapGif(
  gif: Blob,
  choose: (firstFrameFaces: DetectedFace[]) => DetectedFace[],
  swapper: FrameSwapper,
  signal: AbortSignal,
  onFrame: (done: number, total: number) => void,
): Promise<GifSwapOutput> {
  const started = performance.now();
  const reader = await openGif(gif);
  try {
    checkImageSize(reader.width, reader.height);
    const writer = new GifWriter(reader.repetitionCount);
    const ms: Record<string, number> = { decode: performance.now() - started, detect: 0, encode: 0 };
    const add = (stage: string, since: number) => (ms[stage] = (ms[stage] ?? 0) + performance.now() - since);
    let tracks: FaceTracks | null = null;
    let done = 0;
    let framesSwapped = 0;
    let decodeStarted = performance.now();
    for await (const { bitmap, delayMs } of reader.frames()) {
      add('decode', decodeStarted);
      let pixels: RgbaImage;
      let faces: DetectedFace[];
      try {
        throwIfAborted(signal);
        const detectStarted = performance.now();
        faces = inOrder(await swapper.detect(bitmap, signal));
        add('detect', detectStarted);
        pixels = readPixels(bitmap);
      } finally {
        bitmap.close();
      }
      tracks ??= new FaceTracks(choose(faces));
      const tracked = tracks.update(faces, delayMs / 1000).filter((f): f is DetectedFace => f !== null);
      throwIfAborted(signal);
      if (tracked.length > 0) {
        const swapped = await swapper.swap(pixels, tracked, signal);
        for (const [stage, value] of Object.entries(swapped.times))
          ms[stage] = (ms[stage] ?? 0) + (value ?? 0);
        pixels = swapped.image;
        framesSwapped++;
      }
      const encodeStarted = performance.now();
      writer.add(pixels, delayMs);
      add('encode', encodeStarted);
      onFrame(++done, reader.frameCount);
      decodeStarted = performance.now();
    }
    const encodeStarted = performance.now();
    const output = writer.finish();
    add('encode', encodeStarted);
    ms.total = performance.now() - started;
    return {
      gif: output,
      width: reader.width,
      height: reader.height,
      frames: done,
      repetitionCount: reader.repetitionCount,
      facesTracked: tracks?.count ?? 0,
      framesSwapped,
      ms,
    };
  } finally {
    reader.close();
  }
}
