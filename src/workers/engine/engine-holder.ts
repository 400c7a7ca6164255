import { DoppelError } from '../../shared/errors';
import type { FrameSource, FrameSwapper, SwapFrame, SwapTimes } from '../animation/frame-swapper';
import type { EngineSettings, ProgressCallback } from './api';
import type { RgbaImage } from '../../gpu/types';
import type { DetectedFace } from './faces';
import { WrappedFrame } from './frame-swappers';
import { startEngine, type Ready } from './start';

/**
 * The started engine. When its GPU device is lost (a driver reset, a GPU taken away, a destroyed
 * device), it is replaced by one on WASM: every model is loaded again there, the photos already
 * analysed are kept (they live in CPU memory), and the reason says so.
 */
export class EngineHolder {
  private ready: Promise<Ready> | null = null;
  private settings: EngineSettings | null = null;

  start(settings: EngineSettings, onProgress?: ProgressCallback): Promise<Ready> {
    this.settings ??= settings;
    this.ready ??= this.launch(settings, onProgress);
    return this.ready;
  }

  /** Whether the settings allow fault injection (Engine.loseGpu). */
  get faultInjection(): boolean {
    return this.settings?.faultInjection === true;
  }

  get(): Promise<Ready> {
    if (!this.ready) throw new DoppelError('ENGINE_FAILED', 'The engine was not started. Reload the page.');
    return this.ready;
  }

  /**
   * Whether `ready`'s GPU device is lost: asked after a call on it failed, so one GPU round trip is
   * awaited first, for a loss that happened meanwhile to be heard.
   */
  async isLost(ready: Ready): Promise<boolean> {
    const device = ready.analyzer.gpuDevice;
    if (ready.gpuLost !== undefined || !device) return ready.gpuLost !== undefined;
    await device.queue.onSubmittedWorkDone().catch(() => undefined);
    return ready.gpuLost !== undefined;
  }

  private launch(settings: EngineSettings, onProgress?: ProgressCallback, note = ''): Promise<Ready> {
    const launched: Promise<Ready> = startEngine(settings, onProgress).then(
      (ready) => {
        if (note) ready.info = { ...ready.info, reason: `${note} ${ready.info.reason}` };
        this.watch(ready);
        return ready;
      },
      (error: unknown) => {
        if (this.ready === launched) this.ready = null;
        throw error instanceof DoppelError
          ? error
          : new DoppelError('MODEL_LOAD_FAILED', undefined, { cause: String(error) });
      },
    );
    return launched;
  }

  private watch(ready: Ready): void {
    const device = ready.analyzer.gpuDevice;
    if (!device || !this.settings) return;
    const settings = { ...this.settings, backend: 'wasm' as const };
    void device.lost.then((info) => {
      ready.gpuLost = info.message || info.reason;
      const note = `The GPU stopped answering (${ready.gpuLost}), so WASM now runs the face models and the swap.`;
      this.ready = this.launch(settings, undefined, note);
    });
  }
}

/** A frame whose steps, when the GPU is lost under them, are taken again on the engine that replaced it. */
class RecoveringFrame extends WrappedFrame {
  constructor(
    inner: SwapFrame,
    private readonly source: FrameSource,
    private readonly frames: RecoveringFrames,
  ) {
    super(inner);
  }

  private async step<T>(run: (frame: SwapFrame) => Promise<T>): Promise<T> {
    try {
      return await run(this.inner);
    } catch (error) {
      if (!(await this.frames.recover())) throw error;
      this.inner.close();
      this.inner = await this.frames.reopen(this.source);
      return run(this.inner);
    }
  }

  override detect(signal: AbortSignal): Promise<DetectedFace[]> {
    return this.step((frame) => frame.detect(signal));
  }
  override swap(faces: DetectedFace[], signal: AbortSignal, sources?: readonly number[]): Promise<SwapTimes> {
    return this.step((frame) => frame.swap(faces, signal, sources));
  }
  override describe(faces: readonly DetectedFace[]): Promise<Float32Array[]> {
    return this.step((frame) => frame.describe(faces));
  }
  override bitmap(): Promise<ImageBitmap> {
    return this.step((frame) => frame.bitmap());
  }
  override pixels(): Promise<RgbaImage> {
    return this.step((frame) => frame.pixels());
  }
}

type JobFrames = FrameSwapper & { close(): void };

/**
 * A job's frames that go on after a GPU loss: the frame in hand is opened again on the engine that
 * replaced the lost one (WASM) and its step taken again; the frames before it stay as they were
 * written. `onLost` hears the loss once.
 */
export class RecoveringFrames implements FrameSwapper {
  private frames: JobFrames;

  constructor(
    private readonly holder: EngineHolder,
    private ready: Ready,
    private readonly build: (ready: Ready) => JobFrames,
    private readonly onLost: (reason: string) => void,
  ) {
    this.frames = build(ready);
  }

  async open(source: FrameSource): Promise<SwapFrame> {
    let frame: SwapFrame;
    try {
      frame = await this.frames.open(source);
    } catch (error) {
      if (!(await this.recover())) throw error;
      frame = await this.frames.open(source);
    }
    return new RecoveringFrame(frame, source, this);
  }

  /** The frame opened again on the engine now running (after a recovery). */
  reopen(source: FrameSource): Promise<SwapFrame> {
    return this.frames.open(source);
  }

  /** After a failed step: true when the GPU was lost and the frames now run on the new engine. */
  async recover(): Promise<boolean> {
    // Whatever the error was (a lost device's mapAsync rejects with AbortError), the device tells.
    if (!(await this.holder.isLost(this.ready))) return false;
    this.onLost(this.ready.gpuLost ?? 'unknown');
    this.frames.close();
    this.ready = await this.holder.get();
    this.frames = this.build(this.ready);
    return true;
  }

  close(): void {
    this.frames.close();
  }
}
