import { proxy, transfer, wrap, type Remote } from 'comlink';
import { installErrorTransfer } from '../../shared/comlink-errors';
import { cancelled, DoppelError } from '../../shared/errors';
import { newId } from '../../shared/ids';
import { watchWorkerLife } from '../../shared/worker-life';
import type {
  AnalysisFloors,
  AnalyzeResult,
  AnimationSwapRequest,
  AnimationSwapResult,
  EngineApi,
  EngineInfo,
  EngineSettings,
  FaceMask,
  ImageFormat,
  LiveFrameResult,
  LiveSessionRequest,
  NeuralStatus,
  ProgressCallback,
  SwapRequest,
  SwapResult,
  VideoInfo,
  VideoProgressCallback,
  VideoSwapRequest,
  VideoSwapResult,
} from './api';

export type * from './api';

export interface VideoJobOptions {
  signal?: AbortSignal;
  onProgress?: VideoProgressCallback;
  /** Called once the job runs, with its pause and resume. */
  onStart?: (job: { pause(): void; resume(): void }) => void;
}

export interface JobOptions {
  signal?: AbortSignal;
  onProgress?: ProgressCallback;
}

/** The app's handle on the engine worker: the worker's API with AbortSignals instead of job ids. */
export class EngineClient {
  private readonly remote: Remote<EngineApi>;
  /**
   * Rejects when the worker fails (a script that fails to load, an uncaught error: ENGINE_FAILED) or
   * ends (closed, or killed by the browser: ENGINE_CRASHED), so no call waits forever.
   */
  private readonly crashed: Promise<never>;
  /** Resolves with the failure once the worker can no longer answer: the client is to be replaced. */
  readonly stopped: Promise<DoppelError>;
  private failure: DoppelError | null = null;

  constructor(private readonly worker: Worker) {
    installErrorTransfer();
    this.remote = wrap<EngineApi>(worker);
    this.stopped = new Promise<DoppelError>((resolve) => {
      const stop = (error: DoppelError) => {
        this.failure ??= error;
        resolve(this.failure);
      };
      const fail = (event: Event) =>
        stop(
          new DoppelError('ENGINE_FAILED', undefined, { cause: (event as ErrorEvent).message ?? event.type }),
        );
      worker.addEventListener('error', fail);
      worker.addEventListener('messageerror', fail);
      watchWorkerLife(worker, () => stop(new DoppelError('ENGINE_CRASHED')));
    });
    this.crashed = this.stopped.then((error) => Promise.reject(error));
    this.crashed.catch(() => undefined);
  }

  /** True once the worker has failed or ended: every call on this client fails. */
  get ended(): boolean {
    return this.failure !== null;
  }

  private guard<T>(call: Promise<T>): Promise<T> {
    return Promise.race([call, this.crashed]);
  }

  static create(): EngineClient {
    return new EngineClient(
      new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module', name: 'engine' }),
    );
  }

  init(settings: EngineSettings, onProgress?: ProgressCallback): Promise<EngineInfo> {
    return this.guard(this.remote.init(settings, onProgress && proxy(onProgress)));
  }

  private async run<T>(
    options: JobOptions,
    call: (jobId: string, progress?: ProgressCallback) => Promise<T>,
  ): Promise<T> {
    const { signal, onProgress } = options;
    if (signal?.aborted) throw cancelled();
    const jobId = newId('job');
    const onAbort = () => void this.remote.cancel(jobId);
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      return await this.guard(call(jobId, onProgress && proxy(onProgress)));
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /**
   * Hands the bitmap to the worker (transferred: it is unusable here afterwards). `hands: false` skips
   * the hand models (a source photo: only a target's hands are kept in front of the swap).
   */
  analyze(image: ImageBitmap, options: JobOptions & { hands?: boolean } = {}): Promise<AnalyzeResult> {
    return this.run(options, (jobId, progress) =>
      this.remote.analyze(jobId, transfer(image, [image]), progress, { hands: options.hands ?? true }),
    );
  }

  swap(request: SwapRequest, options: JobOptions = {}): Promise<SwapResult> {
    return this.run(options, (jobId, progress) => this.remote.swap(jobId, request, progress));
  }

  swapAnimation(request: AnimationSwapRequest, options: JobOptions = {}): Promise<AnimationSwapResult> {
    return this.run(options, (jobId, progress) => this.remote.swapAnimation(jobId, request, progress));
  }

  videoInfo(video: Blob): Promise<VideoInfo> {
    return this.guard(this.remote.videoInfo(video));
  }

  /** The decoded frame at (or just before) timeS. */
  videoFrame(video: Blob, timeS: number): Promise<ImageBitmap> {
    return this.guard(this.remote.videoFrame(video, timeS));
  }

  /**
   * Swaps a video into an OPFS file. `options.onStart` receives the job's pause and resume as soon
   * as it starts; abort `options.signal` to cancel.
   */
  swapVideo(request: VideoSwapRequest, options: VideoJobOptions = {}): Promise<VideoSwapResult> {
    const { signal, onProgress, onStart } = options;
    return this.run({ signal }, (jobId) => {
      // The job's message goes first: a pause sent before it would find no job and be lost.
      const job = this.remote.swapVideo(jobId, request, onProgress && proxy(onProgress));
      onStart?.({ pause: () => void this.remote.pause(jobId), resume: () => void this.remote.resume(jobId) });
      return job;
    });
  }

  startLive(sessionId: string, request: LiveSessionRequest): Promise<void> {
    return this.guard(this.remote.startLive(sessionId, request));
  }

  /** Hands the frame to the worker (transferred: closed there). */
  swapLiveFrame(sessionId: string, frame: VideoFrame | ImageBitmap): Promise<LiveFrameResult> {
    return this.guard(this.remote.swapLiveFrame(sessionId, transfer(frame, [frame])));
  }

  stopLive(sessionId: string): Promise<void> {
    return this.remote.stopLive(sessionId);
  }

  /** The built-in engine's blend weight for the chosen target faces (see FaceMask). */
  blendMask(request: SwapRequest): Promise<FaceMask[]> {
    return this.guard(this.remote.blendMask(request));
  }

  /** Which neural models this browser has (read again on each call). */
  neuralStatus(): Promise<NeuralStatus> {
    return this.guard(this.remote.neuralStatus());
  }

  /** Fault injection (tests): destroys the engine's GPU device, as a driver reset would. */
  loseGpu(): Promise<boolean> {
    return this.guard(this.remote.loseGpu());
  }

  encode(resultId: string, format: ImageFormat, quality = 0.92): Promise<Blob> {
    return this.guard(this.remote.encode(resultId, format, quality));
  }

  analysisFloors(imageId: string): Promise<AnalysisFloors> {
    return this.guard(this.remote.analysisFloors(imageId));
  }

  release(id: string): Promise<void> {
    return this.remote.release(id);
  }

  terminate(): void {
    this.worker.terminate();
  }
}
