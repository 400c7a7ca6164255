import { VideoSample } from 'mediabunny';
import { toDoppelError } from '../../shared/errors';
import type { VideoProgress, VideoProgressCallback } from '../engine/api';
import type { FrameChoice } from '../animation/frame-choice';
import type { FrameSwapper, SwapFrame } from '../animation/frame-swapper';
import { inOrder } from '../animation/swap-gif';
import type { PauseGate } from './pause-gate';

/** What a video job is given: its cancel signal, its pause gate and where to report progress. */
export interface VideoJobControls {
  signal: AbortSignal;
  pause: PauseGate;
  /** Left out when no one listens: then no progress (and no preview bitmap) is made. */
  onProgress?: VideoProgressCallback;
}

const previewEveryMs = 500;

/**
 * The swapped frame as a sample for the encoder, with the decoded sample's timing: a GPU-backed
 * VideoFrame when the frame stayed on the GPU (nothing read back), else its RGBA pixels.
 */
async function encoderSample(frame: SwapFrame, sample: VideoSample): Promise<VideoSample> {
  const timing = { timestamp: sample.timestamp, duration: sample.duration };
  if (frame.resident) {
    const bitmap = await frame.bitmap();
    try {
      return new VideoSample(new VideoFrame(bitmap, { timestamp: sample.microsecondTimestamp }), timing);
    } finally {
      bitmap.close();
    }
  }
  const image = await frame.pixels();
  return new VideoSample(image.data, {
    format: 'RGBA',
    codedWidth: image.width,
    codedHeight: image.height,
    ...timing,
  });
}

/**
 * The per-frame work of a video swap, as mediabunny's Conversion `process` callback: one decoded
 * frame at a time (mediabunny holds the next until it returns). The faces chosen in the first
 * frame are tracked with smoothed meshes over the frames' real timestamps; a frame where every
 * tracked face is lost is returned as decoded. Waits here while paused; reports progress with a
 * preview about every 0.5 s. On WebGPU the frames stay on the GPU from decoder to encoder.
 */
export class FrameLoop {
  private readonly started = performance.now();
  /**
   * codecs: between frames (decoding, encoding, muxing; overlapping); read: the decoded frame taken
   * in (to pixels, or onto the GPU); output: the swapped frame handed to the encoder.
   */
  readonly ms: Record<string, number> = { codecs: 0, read: 0, detect: 0 };
  framesDone = 0;
  framesSwapped = 0;
  /** Frames where a chosen face's track was not found (its original pixels show, if in view). */
  dropoutFrames = 0;
  /** End of the last frame on the output timeline, in seconds. */
  endS = 0;
  private pausedMs = 0;
  private lastPreview = -Infinity;
  private lastReturn = performance.now();
  private previousTimestamp: number | null = null;

  constructor(
    private readonly choice: FrameChoice,
    private readonly swapper: FrameSwapper,
    private readonly controls: VideoJobControls,
    private readonly framesTotal: number,
  ) {}

  add(stage: string, since: number): void {
    this.ms[stage] = (this.ms[stage] ?? 0) + performance.now() - since;
  }

  /** Frames per second of work (pauses left out). */
  fps(): number {
    return this.framesDone / (this.workMs() / 1000);
  }

  /** Milliseconds since the start, pauses left out. */
  workMs(): number {
    return performance.now() - this.started - this.pausedMs;
  }

  /** Our own failures as DoppelErrors (ENGINE_FAILED), so they are not taken for a damaged file. */
  readonly process = (sample: VideoSample): Promise<VideoSample> =>
    this.swapFrame(sample).catch((error: unknown) => {
      throw error instanceof DOMException && error.name === 'AbortError' ? error : toDoppelError(error);
    });

  private async swapFrame(sample: VideoSample): Promise<VideoSample> {
    const { signal, pause } = this.controls;
    this.add('codecs', this.lastReturn);
    const pausedAt = performance.now();
    if (pause.isPaused) this.progress({ held: true });
    await pause.wait(signal);
    this.pausedMs += performance.now() - pausedAt;
    const readStarted = performance.now();
    const source = sample.toVideoFrame();
    let frame: SwapFrame | null = null;
    try {
      frame = await this.swapper.open(source);
      this.add('read', readStarted);
      const detectStarted = performance.now();
      const faces = inOrder(await frame.detect(signal));
      this.add('detect', detectStarted);
      const dt = this.previousTimestamp === null ? 0 : sample.timestamp - this.previousTimestamp;
      this.previousTimestamp = sample.timestamp;
      const chosen = await this.choice.next(frame, faces, dt);
      if (chosen.lost) this.dropoutFrames++;
      let result = sample;
      if (chosen.faces.length > 0) {
        const times = await frame.swap(chosen.faces, signal, chosen.sources);
        for (const [stage, value] of Object.entries(times))
          this.ms[stage] = (this.ms[stage] ?? 0) + (value ?? 0);
        const outputStarted = performance.now();
        result = await encoderSample(frame, sample);
        this.add('output', outputStarted);
        this.framesSwapped++;
      }
      this.framesDone++;
      this.endS = Math.max(this.endS, sample.timestamp + sample.duration);
      const now = performance.now();
      const preview =
        this.controls.onProgress && now - this.lastPreview >= previewEveryMs
          ? await frame.bitmap()
          : undefined;
      if (preview) this.lastPreview = now;
      this.progress({ preview });
      this.lastReturn = performance.now();
      return result;
    } finally {
      frame?.close();
      source.close();
    }
  }

  private progress(extra: Pick<VideoProgress, 'preview' | 'held'>): void {
    const { onProgress } = this.controls;
    if (!onProgress) return;
    const fps = this.fps();
    const total = Math.max(this.framesTotal, this.framesDone);
    onProgress({
      stage: 'swap',
      fraction: this.framesDone / total,
      message: `Frame ${this.framesDone} of ${total}`,
      framesDone: this.framesDone,
      framesTotal: total,
      fps,
      etaS: (total - this.framesDone) / fps,
      ...extra,
    });
  }
}
