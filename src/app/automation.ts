import { swapLiveFrames, type LiveAutomationRequest } from './automation-live';
import { bytesToBase64 } from '../shared/bytes';
import type { BackendChoice } from '../shared/config';
import { defaultConfig } from '../shared/config';
import type { AnalyzeResult, Progress, VideoInfo } from '../workers/engine/client';
import { likenessMapping, likenessMatches, releaseAll } from './automation-likeness';
import { swapAnimation, type AnimationRequest } from './automation-animation';
import { benchImage, largest, type ImageBenchRequest } from './automation-bench';
import { limitsProbe, limitsSource, type LimitsProbeRequest } from './automation-limits';
import { analyzeBytes, swap, type AutomationRequest } from './automation-photo';
import {
  analyzeSource,
  cancel,
  cancellable,
  decodeBase64,
  guarded,
  init,
  release,
  session,
  type EngineOptions,
} from './automation-session';
import {
  listVideoOutputs,
  readVideoOutput,
  removeVideoOutput,
  videoBlob,
  type VideoAutomationRequest,
  type VideoAutomationResult,
  type VideoDriverProgress,
} from './automation-video';

/**
 * The page that `npm run swap`, the benchmark and the tests drive in headless Chromium (a test
 * harness: built beside dist/, never in it; scripts/test-harness.ts): the same built app code and
 * engine worker as the UI, with byte-level inputs and outputs, as `window.doppel`. Photos:
 * automation-photo.ts; GIFs: automation-animation.ts; videos: below and automation-video.ts.
 */

let runningVideo: { pause(): void; resume(): void } | null = null;

/**
 * Swaps a video into OPFS `video-output` (read it back with `readVideoOutput`); progress goes to
 * `window.doppelVideoProgress` when the driver set it; `cancel`, `pauseVideo`, `resumeVideo` act on it.
 */
function swapVideo(request: VideoAutomationRequest): Promise<VideoAutomationResult> {
  const { engine, info } = session();
  return cancellable(async (signal) => {
    try {
      const video = await videoBlob(request.video);
      const source = await analyzeSource(engine, request.source);
      const more: AnalyzeResult[] = [];
      try {
        const sourceFace = request.sourceFace ?? largest(source).index;
        let likeness;
        if (request.likeness) {
          // Target face numbers are those of the frame at the trim start.
          const first = await engine.analyze(await engine.videoFrame(video, request.trim?.startS ?? 0));
          more.push(first);
          likeness = await likenessMapping(engine, request.likeness, source, sourceFace, first, more);
        }
        const result = await engine.swapVideo(
          {
            sourceId: source.imageId,
            sourceFace,
            mapping: likeness?.mapping,
            engine: request.engine ?? 'builtin',
            neural: request.neural,
            video,
            targetFaces: request.faces === 'all' ? undefined : request.faces,
            trim: request.trim,
            container: request.container,
            quality: request.quality ?? 'medium',
            outputName: request.outputName ?? `automation-${Date.now()}.${request.container}`,
            blend: { ...defaultConfig.blend, ...request.blend },
          },
          {
            signal,
            onStart: (job) => (runningVideo = job),
            onProgress: ({ preview, ...progress }) => {
              const size: [number, number] | undefined = preview && [preview.width, preview.height];
              preview?.close();
              window.doppelVideoProgress?.({ ...progress, preview: size });
            },
          },
        );
        const matches = likenessMatches(result.matches, likeness?.sourceFaces ?? []);
        return { ...result, matches, backend: info.backend, swapper: info.swapper };
      } finally {
        await release(source);
        await releaseAll(more);
      }
    } finally {
      runningVideo = null;
    }
  });
}

const api = {
  init: (backend: BackendChoice, options?: EngineOptions) => guarded(() => init(backend, options)),
  analyze: (b64: string) => guarded(() => analyzeBytes(b64)),
  swap: (request: AutomationRequest) => guarded(() => swap(request)),
  benchImage: (request: ImageBenchRequest) =>
    guarded(() => benchImage(session().engine, decodeBase64, request)),
  swapAnimation: (request: AnimationRequest) => guarded(() => swapAnimation(request)),
  cancel,
  videoInfo: (video: Blob | { url: string }) =>
    guarded(async (): Promise<VideoInfo> => session().engine.videoInfo(await videoBlob(video))),
  /** The frame at timeS: its size and RGBA pixels (base64). */
  videoFrame: (video: Blob | { url: string }, timeS: number) =>
    guarded(async () => {
      const bitmap = await session().engine.videoFrame(await videoBlob(video), timeS);
      const ctx = new OffscreenCanvas(bitmap.width, bitmap.height).getContext('2d')!;
      ctx.drawImage(bitmap, 0, 0);
      bitmap.close();
      const { data, width, height } = ctx.getImageData(0, 0, ctx.canvas.width, ctx.canvas.height);
      return { width, height, rgba: bytesToBase64(new Uint8Array(data.buffer)) };
    }),
  swapVideo: (request: VideoAutomationRequest) => guarded(() => swapVideo(request)),
  pauseVideo: () => runningVideo?.pause(),
  resumeVideo: () => runningVideo?.resume(),
  listVideoOutputs,
  readVideoOutput,
  removeVideoOutput,
  neuralStatus: () => guarded(() => session().engine.neuralStatus()),
  swapLiveFrames: (request: LiveAutomationRequest) => guarded(() => swapLiveFrames(request)),
  /** `npm run limits`: the source every later probe swaps in, and one changed photo analysed (and swapped). */
  limitsSource: (b64: string) => guarded(() => limitsSource(b64)),
  limitsProbe: (request: LimitsProbeRequest) => guarded(() => limitsProbe(request)),
  /** Fault injection (init with faultInjection): destroys the engine's GPU device. */
  loseGpu: () => guarded(() => session().engine.loseGpu()),
};

/** What the page offers its driver, as `window.doppel`. */
export type AutomationApi = typeof api;

declare global {
  interface Window {
    doppel: AutomationApi;
    /** Set by the driver (Playwright's exposeFunction) to receive a GIF swap's progress. */
    doppelProgress?: (progress: Progress) => void;
    /** Set by the driver to receive a video swap's progress. */
    doppelVideoProgress?: (progress: VideoDriverProgress) => void;
  }
}

window.doppel = api;
document.body.dataset.ready = 'true';
