import { throwIfAborted } from '../../shared/errors';
import { checkImageSize } from '../../shared/image-file';
import type { AnimationSwapResult } from '../engine/api';
import type { DetectedFace } from '../engine/faces';
import type { FrameChoice } from './frame-choice';
import type { FrameSwapper, SwapFrame } from './frame-swapper';
import { openGif } from './gif-decode';
import { withContentCredentials } from '../../shared/credentials/content-credentials';
import { GifWriter } from './gif-encode';

/** The animation result without the engine fields, which the engine adds. */
export type GifSwapOutput = Omit<AnimationSwapResult, 'engine' | 'provider'>;

/** Faces in reading order, as `analyze` numbers them (sorted in place); the video loop shares it. */
export function inOrder(faces: DetectedFace[]): DetectedFace[] {
  return faces.sort((a, b) => a.box[0] - b.box[0] || a.box[1] - b.box[1]);
}

/**
 * Swaps an animated GIF frame by frame, one frame in memory at a time: the faces `choice` picks
 * (in the first frame, or by likeness) are tracked with smoothed meshes through the rest; a frame where every tracked
 * face is lost is kept as it was. Delays and the loop count are kept.
 */
export async function swapGif(
  gif: Blob,
  choice: FrameChoice,
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
    let done = 0;
    let framesSwapped = 0;
    let dropoutFrames = 0;
    let decodeStarted = performance.now();
    for await (const { bitmap, delayMs } of reader.frames()) {
      add('decode', decodeStarted);
      let frame: SwapFrame | null = null;
      try {
        throwIfAborted(signal);
        frame = await swapper.open(bitmap);
        const detectStarted = performance.now();
        const faces = inOrder(await frame.detect(signal));
        add('detect', detectStarted);
        const chosen = await choice.next(frame, faces, delayMs / 1000);
        if (chosen.lost) dropoutFrames++;
        throwIfAborted(signal);
        if (chosen.faces.length > 0) {
          const times = await frame.swap(chosen.faces, signal, chosen.sources);
          for (const [stage, value] of Object.entries(times)) ms[stage] = (ms[stage] ?? 0) + (value ?? 0);
          framesSwapped++;
        }
        const pixels = await frame.pixels();
        const encodeStarted = performance.now();
        writer.add(pixels, delayMs);
        add('encode', encodeStarted);
      } finally {
        frame?.close();
        bitmap.close();
      }
      onFrame(++done, reader.frameCount);
      decodeStarted = performance.now();
    }
    const encodeStarted = performance.now();
    const output = new Blob([await withContentCredentials(writer.finish(), 'image/gif')], {
      type: 'image/gif',
    });
    add('encode', encodeStarted);
    ms.total = performance.now() - started;
    return {
      gif: output,
      width: reader.width,
      height: reader.height,
      frames: done,
      repetitionCount: reader.repetitionCount,
      facesTracked: choice.count,
      framesSwapped,
      dropoutFrames,
      ms,
    };
  } finally {
    reader.close();
  }
}
