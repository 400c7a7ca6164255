import { throwIfAborted } from '../../shared/errors';
import type { LiveFrameResult, LiveSessionRequest } from '../engine/api';
import type { FrameChoice } from '../animation/frame-choice';
import type { FrameSwapper, SwapFrame } from '../animation/frame-swapper';

/** The frame's capture time in microseconds: a VideoFrame's own timestamp, else its arrival here. */
function timestampUs(frame: VideoFrame | ImageBitmap): number {
  return 'timestamp' in frame ? frame.timestamp : performance.now() * 1000;
}

/** The bitmap flipped left to right (closing the input). */
function mirrored(bitmap: ImageBitmap): ImageBitmap {
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('OffscreenCanvas 2d context is unavailable');
  ctx.setTransform(-1, 0, 0, 1, bitmap.width, 0);
  ctx.drawImage(bitmap, 0, 0);
  bitmap.close();
  return canvas.transferToImageBitmap();
}

/**
 * One camera session: every face in view (or those chosen by likeness) is tracked from frame to frame (One Euro-smoothed meshes,
 * timed by the frames' own timestamps) and swapped; a frame without a face comes back as it was.
 */
export class LiveSession {
  private readonly stopped = new AbortController();
  private lastUs: number | null = null;
  private inFlight: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly request: LiveSessionRequest,
    private readonly swapper: FrameSwapper & { close(): void },
    /** Every face in view, or by likeness (reference mode, face mapping). */
    private readonly choice: FrameChoice,
  ) {}

  /** Swaps one frame; the frame is closed here whatever happens. */
  swapFrame(frame: VideoFrame | ImageBitmap): Promise<LiveFrameResult> {
    const work = this.swap(frame);
    this.inFlight = work.catch(() => undefined);
    return work;
  }

  private async swap(frame: VideoFrame | ImageBitmap): Promise<LiveFrameResult> {
    const started = performance.now();
    const signal = this.stopped.signal;
    const frameUs = timestampUs(frame);
    let bitmap: ImageBitmap;
    try {
      throwIfAborted(signal);
      bitmap = frame instanceof ImageBitmap ? frame : await createImageBitmap(frame);
    } catch (error) {
      frame.close();
      throw error;
    }
    if (bitmap !== frame) frame.close();
    let shown = bitmap;
    let facesSwapped = 0;
    let opened: SwapFrame | null = null;
    try {
      opened = await this.swapper.open(bitmap);
      const faces = await opened.detect(signal);
      const dtS = this.lastUs === null ? 0 : Math.max(0, (frameUs - this.lastUs) / 1e6);
      this.lastUs = frameUs;
      const chosen = await this.choice.next(opened, faces, dtS);
      throwIfAborted(signal);
      if (chosen.faces.length > 0) {
        await opened.swap(chosen.faces, signal, chosen.sources);
        shown = await opened.bitmap();
        facesSwapped = chosen.faces.length;
      }
    } catch (error) {
      bitmap.close();
      throw error;
    } finally {
      opened?.close();
    }
    if (shown !== bitmap) bitmap.close();
    return {
      bitmap: this.request.mirror ? mirrored(shown) : shown,
      facesSwapped,
      ms: performance.now() - started,
    };
  }

  /** Ends the session: a frame being swapped stops at its next step, then the frames are let go. */
  close(): void {
    this.stopped.abort();
    void this.inFlight.then(() => this.swapper.close());
  }
}
