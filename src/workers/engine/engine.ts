import { transfer } from 'comlink';
import type { RgbaImage } from '../../gpu/types';
import { defaultConfig } from '../../shared/config';
import { DoppelError, throwIfAborted, toDoppelError } from '../../shared/errors';
import type {
  AnalysisFloors,
  AnalyzeResult,
  AnimationSwapRequest,
  AnimationSwapResult,
  EngineApi,
  EngineInfo,
  EngineSettings,
  FaceMask,
  FaceRef,
  FrameJobFacts,
  ImageFormat,
  LiveFrameResult,
  LiveSessionRequest,
  NeuralStatus,
  ProgressCallback,
  Stage,
  SwapOptions,
  SwapRequest,
  SwapResult,
  VideoInfo,
  VideoProgressCallback,
  VideoSwapRequest,
  VideoSwapResult,
} from './api';
import type { DetectedFace } from './faces';
import { FaceFollower } from './face-follower';
import { HandFollower } from './hand-follower';
import { handOutline } from './hand-outline';
import type { HandFinder } from './hand-finder';
import { blendMasks } from './blend-mask';
import { EngineHolder, RecoveringFrames } from './engine-holder';
import { createFrameSwapper, type HandLooker } from './frame-swappers';
import { chooseTargets, firstFrame, matchesOf } from './choose-targets';
import { forgetAfterS, jobFaces, optionsFor, swapBySource } from './job-faces';
import { AllFacesChoice, type FrameChoice } from '../animation/frame-choice';
import { mergeOutputs, photoGroups } from './mapped-swap';
import { readbacks } from './readback-count';
import { facePairs, isAbort, isGpuLoss, runBuiltin, runNeural } from './swap-runs';
import { encodeResult } from './encode-result';
import { toBitmap } from './pixels';
import { PhotoStore } from './photo-store';
import type { Ready } from './start';
import { swapGif } from '../animation/swap-gif';
import { LiveSession } from '../live/live-session';
import { PauseGate } from '../video/pause-gate';
import { readVideoFrame, readVideoInfo, swapVideoFile } from '../video/swap-video';

/** Which engine (and neural provider) ran a job's frames, how its faces were followed, and where they stayed. */
type EngineRun = FrameJobFacts;

/** A job's hands in front of its swapped faces, frame by frame (HandFollower), as outlines. */
function handLooker(finder: HandFinder): HandLooker {
  const follower = new HandFollower(finder, defaultConfig.detection.handDetectEvery);
  return async (input, faces, signal) =>
    (
      await follower.next(
        input,
        faces.map((face) => face.box),
        signal,
      )
    ).map((hand) => handOutline(hand.keypoints));
}

/** The engine that runs inside the worker: face analysis, the built-in swap and encoding. */
export class Engine implements EngineApi {
  private readonly engines = new EngineHolder();
  private readonly photos = new PhotoStore();
  private readonly jobs = new Map<string, AbortController>();
  private readonly pauses = new Map<string, PauseGate>();
  private readonly live = new Map<string, LiveSession>();

  init(settings: EngineSettings, onProgress?: ProgressCallback): Promise<EngineInfo> {
    return this.engines.start(settings, onProgress).then((ready) => ready.info);
  }

  private engine(): Promise<Ready> {
    return this.engines.get();
  }

  /** Runs a job on the engine as it now is; a failure because its GPU was lost is GPU_LOST. */
  private async job<T>(jobId: string, work: (signal: AbortSignal, ready: Ready) => Promise<T>): Promise<T> {
    const controller = new AbortController();
    this.jobs.set(jobId, controller);
    let ready: Ready | null = null;
    try {
      ready = await this.engine();
      return await work(controller.signal, ready);
    } catch (error) {
      if (controller.signal.aborted) throw new DoppelError('CANCELLED');
      // A lost device fails its calls in many ways (AbortError from mapAsync among them): ask the device.
      if (ready && !isGpuLoss(error) && (await this.engines.isLost(ready)))
        throw new DoppelError('GPU_LOST', undefined, { cause: ready.gpuLost });
      if (isAbort(error)) throw new DoppelError('CANCELLED');
      throw toDoppelError(error);
    } finally {
      this.jobs.delete(jobId);
    }
  }

  /** Fault injection for tests: destroys the GPU device, as a driver reset would. False without one. */
  async loseGpu(): Promise<boolean> {
    const device = this.engines.faultInjection ? (await this.engine()).analyzer.gpuDevice : null;
    device?.destroy();
    return device !== null;
  }

  analyze(
    jobId: string,
    image: ImageBitmap,
    onProgress?: ProgressCallback,
    options = { hands: true },
  ): Promise<AnalyzeResult> {
    return this.job(jobId, (signal, ready) =>
      this.photos.analyze(ready.analyzer, image, signal, onProgress, options.hands),
    );
  }

  swap(jobId: string, request: SwapRequest, onProgress?: ProgressCallback): Promise<SwapResult> {
    return this.job(jobId, async (signal, ready) => {
      const target = this.photos.loaded(request.targetId);
      const { groups, matches } = await photoGroups(this.photos, ready.analyzer.describer, request, target);
      const report = (stage: Stage, fraction: number, message: string) =>
        onProgress?.({ stage, fraction, message });
      const outputs = [];
      let image = target.pixels;
      let sourceGlasses = false;
      for (const { source: ref, faces } of groups) {
        const source = this.photos.sourceFace(ref.imageId, ref.face);
        sourceGlasses ||= source.glasses;
        const chosen = faces.map((i) => target.faces[i]!);
        const options = optionsFor(request, ref);
        const output = await this.swapFaces(
          ready,
          options,
          source,
          { pixels: image, hands: target.hands },
          chosen,
          signal,
          report,
        );
        outputs.push({ output, faces });
        image = output.image;
      }
      const output = mergeOutputs(outputs);
      throwIfAborted(signal);
      const resultId = this.photos.addResult(output.image);
      const bitmap = await toBitmap(output.image);
      report('blend', 1, 'Done');
      const result: SwapResult = {
        resultId,
        width: output.image.width,
        height: output.image.height,
        bitmap,
        facesSwapped: outputs.reduce((n, o) => n + o.faces.length, 0) - output.skipped.length,
        skipped: output.skipped,
        touched: output.touched,
        sourceGlasses,
        ms: output.times,
        engine: output.engine,
        ...(output.provider ? { provider: output.provider } : {}),
        ...(output.notice ? { notice: output.notice } : {}),
        ...(matches ? { matches } : {}),
      };
      return transfer(result, [bitmap, output.touched.buffer]);
    });
  }

  /** Swaps the source face onto the given faces of one image (a photo or an animation frame). */
  private async swapFaces(
    ready: Ready,
    request: SwapOptions,
    source: { pixels: RgbaImage; face: DetectedFace; glasses: boolean },
    target: { pixels: RgbaImage; hands: readonly Float32Array[] },
    faces: DetectedFace[],
    signal: AbortSignal,
    report: (stage: Stage, fraction: number, message: string) => void,
  ) {
    if (request.engine === 'neural')
      return runNeural(ready, this.photos, request, source, target, faces, signal, report);
    const pairs = facePairs(source, target.hands, faces, request.blend);
    const output = await runBuiltin(ready, source.pixels, target.pixels, pairs, request, signal, report);
    return { ...output, engine: 'builtin' as const };
  }

  async blendMask(request: SwapRequest): Promise<FaceMask[]> {
    const ready = await this.engine();
    const source = this.photos.sourceFace(request.sourceId, request.sourceFace);
    const target = this.photos.loaded(request.targetId);
    const chosen = chooseTargets(target.faces, request.targetFaces, 'target photo');
    const masks = blendMasks(
      target.pixels,
      facePairs(source, target.hands, chosen, request.blend),
      ready.topology,
      request.blend,
    );
    return transfer(
      masks,
      masks.map((m) => m.weight.buffer),
    );
  }

  /**
   * The frame loop's view of the engine for one request: the faces in each frame (followed from
   * frame to frame), swapped with the job's source faces and engine, the hands in front of them kept
   * (by either engine, unless blend.hands is false); the built-in engine on WebGPU
   * keeps the frames on the GPU when there is one source face. `ran` records the provider that ran
   * and how the faces were followed. Close it when the job ends.
   */
  private frameSwapper(ready: Ready, request: SwapOptions, ran: EngineRun, refs: FaceRef[]) {
    const sources = refs.map((ref) => this.photos.sourceFace(ref.imageId, ref.face));
    const source = sources[0]!;
    const quiet = () => undefined;
    ran.follow ??= { keyframes: 0, trackedFrames: 0 };
    const follower = new FaceFollower(ready.analyzer, defaultConfig.detection, ran.follow);
    const swapper = ready.swapper;
    const resident =
      request.engine !== 'neural' && 'swapFrame' in swapper && sources.length === 1
        ? {
            swapper,
            device: ready.analyzer.gpuDevice!,
            photo: source.pixels,
            sourceMesh: source.face.mesh,
            sourceGlasses: source.glasses,
            topology: ready.topology,
            blend: request.blend,
            canvasOutput: !ready.info.softwareAdapter,
          }
        : null;
    ran.residentFrames = resident !== null;
    const swapOne = async (
      which: number,
      pixels: RgbaImage,
      faces: DetectedFace[],
      hands: readonly Float32Array[],
      signal: AbortSignal,
    ) => {
      const ref = refs[which]!;
      const options = optionsFor(request, ref);
      const target = { pixels, hands };
      const swapped = await this.swapFaces(ready, options, sources[which]!, target, faces, signal, quiet);
      if ('provider' in swapped) ran.provider = swapped.provider;
      return { image: swapped.image, times: { ...swapped.times } };
    };
    const keepHands = request.blend.hands !== false;
    const analyzer = ready.analyzer;
    return createFrameSwapper(
      {
        follower,
        describer: analyzer.describer,
        swapPixels: (frame, faces, hands, signal, which) =>
          swapBySource(frame, faces, which, (n, image, group) => swapOne(n, image, group, hands, signal)),
        hands: keepHands ? handLooker(analyzer.hands) : null,
      },
      resident,
      readbacks() === null ? undefined : (ran.frameReadbacks ??= []),
      ready.analyzer,
    );
  }

  /** A job's frames (see frameSwapper; going on on WASM if the GPU is lost), and how its faces are chosen. */
  private async jobFrames(ready: Ready, request: SwapOptions, ran: EngineRun, otherwise: () => FrameChoice) {
    const { sources, choice } = await jobFaces(this.photos, ready.analyzer.describer, request, otherwise);
    const frames = new RecoveringFrames(
      this.engines,
      ready,
      (now) => this.frameSwapper(now, request, ran, sources),
      (reason) => (ran.gpuLost = reason),
    );
    return { frames, choice };
  }

  swapAnimation(
    jobId: string,
    request: AnimationSwapRequest,
    onProgress?: ProgressCallback,
  ): Promise<AnimationSwapResult> {
    return this.job(jobId, async (signal, ready) => {
      const ran: EngineRun = { engine: request.engine ?? 'builtin' };
      const { frames, choice } = await this.jobFrames(ready, request, ran, () =>
        firstFrame(request.targetFaces, 'first frame of the GIF'),
      );
      const output = await swapGif(request.gif, choice, frames, signal, (done, total) =>
        onProgress?.({
          stage: 'swap',
          fraction: done / total,
          message: `Swapped frame ${done} of ${total}`,
        }),
      ).finally(() => frames.close());
      return { ...output, ...ran, ...matchesOf(choice) };
    });
  }

  videoInfo(video: Blob): Promise<VideoInfo> {
    return readVideoInfo(video).catch((error: unknown) => {
      throw toDoppelError(error);
    });
  }

  videoFrame(video: Blob, timeS: number): Promise<ImageBitmap> {
    return readVideoFrame(video, timeS).then(
      (bitmap) => transfer(bitmap, [bitmap]),
      (error: unknown) => {
        throw toDoppelError(error);
      },
    );
  }

  swapVideo(
    jobId: string,
    request: VideoSwapRequest,
    onProgress?: VideoProgressCallback,
  ): Promise<VideoSwapResult> {
    // The gate exists before the first await, so a pause sent right after the call is kept.
    const pause = new PauseGate();
    this.pauses.set(jobId, pause);
    const job = this.job(jobId, async (signal, ready) => {
      const ran: EngineRun = { engine: request.engine ?? 'builtin' };
      const { frames, choice } = await this.jobFrames(ready, request, ran, () =>
        firstFrame(request.targetFaces, 'first frame of the video'),
      );
      const output = await swapVideoFile(request, choice, frames, {
        signal,
        pause,
        onProgress:
          onProgress &&
          ((progress) => onProgress(progress.preview ? transfer(progress, [progress.preview]) : progress)),
      }).finally(() => frames.close());
      return { ...output, ...ran, ...matchesOf(choice) };
    });
    return job.finally(() => this.pauses.delete(jobId));
  }

  pause(jobId: string): void {
    this.pauses.get(jobId)?.pause();
  }

  resume(jobId: string): void {
    this.pauses.get(jobId)?.resume();
  }

  async startLive(sessionId: string, request: LiveSessionRequest): Promise<void> {
    const ready = await this.engine();
    const ran: EngineRun = { engine: request.engine ?? 'builtin' };
    const { frames, choice } = await this.jobFrames(
      ready,
      request,
      ran,
      () => new AllFacesChoice(forgetAfterS),
    );
    this.live.get(sessionId)?.close();
    this.live.set(sessionId, new LiveSession(request, frames, choice));
  }

  async swapLiveFrame(sessionId: string, frame: VideoFrame | ImageBitmap): Promise<LiveFrameResult> {
    const session = this.live.get(sessionId);
    if (!session) {
      frame.close();
      throw new DoppelError('ENGINE_FAILED', 'The live session has ended. Start the camera again.');
    }
    const result = await session.swapFrame(frame).catch((error: unknown) => {
      throw toDoppelError(error);
    });
    return transfer(result, [result.bitmap]);
  }

  stopLive(sessionId: string): void {
    this.live.get(sessionId)?.close();
    this.live.delete(sessionId);
  }

  neuralStatus(): Promise<NeuralStatus> {
    return this.engine().then((ready) => ready.neural.status());
  }

  encode(resultId: string, format: ImageFormat, quality: number): Promise<Blob> {
    return encodeResult(this.photos.result(resultId), format, quality);
  }

  async analysisFloors(imageId: string): Promise<AnalysisFloors> {
    return this.photos.floors((await this.engine()).analyzer, imageId);
  }

  release(id: string): void {
    this.photos.release(id);
  }

  cancel(jobId: string): void {
    this.jobs.get(jobId)?.abort();
  }
}
