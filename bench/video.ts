import type { Page } from 'playwright-core';
import { AutomationSession, isAutomationError } from '../scripts/lib/automation';
import type { BackendChoice } from '../src/shared/config';
import type { FrameReadbacks } from '../src/workers/engine/api';
import { faceInFrame, faceSprite, installVideoFixtures, type ClipSpec } from '../tests/fixtures/video';
import { sampleBase64 } from '../tests/fixtures/samples';
import { measureLongClip } from './video/long-clip';
import { watchPeakMemory } from './video/peak-memory';

/**
 * Video benchmark: a 10-second 1280x720 30 fps H.264 clip with one face moving across it and a
 * tone (made in the browser with WebCodecs), swapped with the built-in engine on the WASM path and
 * on the WebGPU path (SwiftShader here: only its first BENCH_WEBGPU_SECONDS, default 0.2). Prints one
 * JSON object: fps, ms per stage per frame beside floors measured in the same page (decode + encode
 * alone, the face models alone, a frame copy) and their ratios, keyframes and tracked frames, peak
 * memory of the browser, the flicker ratio (mean absolute frame-to-frame change inside the face
 * box, output over input; 1.0 adds no flicker) and the dropout frames (frames in which a tracked
 * face was not found, so its original pixels show); on WASM also the fps with hands off, beside it.
 * Nothing here is asserted.
 */
const seconds = Number(process.env.BENCH_VIDEO_SECONDS ?? 10);
const webgpuSeconds = Number(process.env.BENCH_WEBGPU_SECONDS ?? 0.2);
const fps = 30;
const frames = seconds * fps;
const sprite = faceSprite(2, 420, [60, 120], [760, 200]);
const spec: ClipSpec = {
  width: 1280,
  height: 720,
  fps,
  frames,
  container: 'mp4',
  videoCodec: 'avc',
  sprites: [sprite],
  toneHz: 440,
};
const boxes = Array.from({ length: frames }, (_, i) => faceInFrame(sprite, i, frames));

/**
 * Floors measured in the same page: decode + encode alone (the clip, or its trimmed part, transcoded
 * with nothing done to the frames), and, on the clip's first frame, the face models alone for one
 * keyframe's detector passes and one face's mesh, and one copy of the frame's pixels.
 */
async function videoFloors(page: Page, trimS: number | null) {
  return page.evaluate(async (trimS) => {
    const clip = window.doppelClips.bench!;
    const frame = await window.doppel.videoFrame(clip, 0);
    if ('error' in frame) throw new Error(frame.error.message);
    const canvas = new OffscreenCanvas(frame.width, frame.height);
    const rgba = Uint8ClampedArray.from(atob(frame.rgba), (c) => c.charCodeAt(0));
    canvas.getContext('2d')!.putImageData(new ImageData(rgba, frame.width, frame.height), 0, 0);
    const png = new Uint8Array(await (await canvas.convertToBlob({ type: 'image/png' })).arrayBuffer());
    let b64 = '';
    for (let i = 0; i < png.length; i += 0x8000) b64 += String.fromCharCode(...png.subarray(i, i + 0x8000));
    const bench = await window.doppel.benchImage({ source: btoa(b64), target: btoa(b64), runs: 1 });
    if ('error' in bench) throw new Error(bench.error.message);
    const { floors, faces } = bench.analyse.target;
    const transcode = await window.doppelVideoFixtures.transcodeMs(clip, trimS ?? undefined);
    return {
      detector: floors.detector,
      mesh: floors.mesh / Math.max(1, faces),
      copy: floors.copy,
      transcode,
    };
  }, trimS);
}

/** Mean GPU buffer readbacks per frame: all of them, the face and hand models' passes, the frame's own. */
function readbacksPerFrame(counted: FrameReadbacks[]) {
  const mean = (pick: (c: (typeof counted)[number]) => number) =>
    Math.round((counted.reduce((sum, c) => sum + pick(c), 0) / Math.max(1, counted.length)) * 100) / 100;
  return {
    total: mean((c) => c.readbacks),
    modelPasses: mean((c) => c.readbacks - c.frame),
    frame: mean((c) => c.frame),
  };
}

async function measure(backend: BackendChoice, trimS: number, hands = true) {
  const session = await AutomationSession.start(backend, undefined, { countReadbacks: true });
  try {
    const { page } = session;
    await installVideoFixtures(page);
    await page.evaluate(async (spec) => {
      window.doppelClips.bench = await window.doppelVideoFixtures.makeClip(spec);
    }, spec);
    const peakMemory = watchPeakMemory();
    const started = performance.now();
    const result = await page.evaluate(
      ({ source, trimS, seconds, hands }) =>
        window.doppel.swapVideo({
          source,
          video: window.doppelClips.bench!,
          faces: 'all',
          container: 'mp4',
          quality: 'medium',
          outputName: 'bench.mp4',
          trim: trimS < seconds ? { startS: 0, endS: trimS } : undefined,
          blend: { hands },
        }),
      { source: sampleBase64(3), trimS, seconds, hands },
    );
    const wallMs = performance.now() - started;
    const memory = peakMemory();
    if (isAutomationError(result)) throw new Error(`${result.error.code}: ${result.error.message}`);
    const flicker = await page.evaluate(
      async ({ boxes }) => {
        const directory = await (await navigator.storage.getDirectory()).getDirectoryHandle('video-output');
        const output = await (await directory.getFileHandle('bench.mp4')).getFile();
        const input = await window.doppelVideoFixtures.regionChange(window.doppelClips.bench!, boxes);
        const swapped = await window.doppelVideoFixtures.regionChange(output, boxes);
        return { input, output: swapped, ratio: swapped / input };
      },
      { boxes: boxes.slice(0, result.frames) },
    );
    const perFrame = Object.fromEntries(
      Object.entries(result.ms).map(([stage, ms]) => [stage, Math.round((ms / result.frames) * 10) / 10]),
    );
    const floors = await videoFloors(page, trimS < seconds ? trimS : null);
    const follow = result.follow ?? { keyframes: result.frames, trackedFrames: 0 };
    const facesFloor =
      (follow.keyframes * floors.detector + result.frames * floors.mesh) / Math.max(1, result.frames);
    const codecsFloor = floors.transcode / (trimS < seconds ? Math.round(trimS * fps) : frames);
    const round = (ms: number) => Math.round(ms * 10) / 10;
    const ratio = (a: number | undefined, b: number) =>
      a !== undefined && b > 0 ? Math.round((a / b) * 100) / 100 : null;
    return {
      backend: result.backend,
      swapper: result.swapper,
      adapter: session.info.adapter,
      frames: result.frames,
      framesSwapped: result.framesSwapped,
      dropoutFrames: result.dropoutFrames,
      audioKept: result.audioKept,
      fps: Math.round(result.fps * 100) / 100,
      wallSeconds: Math.round(wallMs / 100) / 10,
      msPerFrame: perFrame,
      follow,
      floorMsPerFrame: {
        decodeEncode: round(codecsFloor),
        faceModels: round(facesFloor),
        frameCopy: round(floors.copy),
      },
      ratios: {
        codecsToDecodeEncode: ratio((perFrame.codecs ?? 0) + (perFrame.read ?? 0), codecsFloor),
        detectToFaceModels: ratio(perFrame.detect, facesFloor),
        totalToFloors: ratio(wallMs / result.frames, codecsFloor + facesFloor + floors.copy),
      },
      peakMemoryMiB: memory.peakMiB,
      memoryBeforeSwapMiB: memory.beforeMiB,
      residentFrames: result.residentFrames ?? false,
      readbacksPerFrame: readbacksPerFrame(result.frameReadbacks ?? []),
      flicker: {
        inputMeanAbsChange: Math.round(flicker.input * 100) / 100,
        outputMeanAbsChange: Math.round(flicker.output * 100) / 100,
        ratio: Math.round(flicker.ratio * 1000) / 1000,
      },
    };
  } finally {
    await session.close();
  }
}

const wasm = await measure('wasm', seconds);
// The same clip with hands off (no hand models run): what looking for hands costs, in the same run.
const wasmHandsOff = await measure('wasm', seconds, false);
const handsCost = {
  fpsHandsOff: wasmHandsOff.fps,
  fpsRatio: Math.round((wasm.fps / wasmHandsOff.fps) * 100) / 100,
  handsMsPerFrame: wasm.msPerFrame.hands ?? 0,
};
const webgpu = await measure('webgpu', Math.min(webgpuSeconds, seconds));
const long1080p = await measureLongClip();
const report = {
  benchmark: 'video-swap',
  clip: `${seconds} s, 1280x720, ${fps} fps, H.264 + Opus tone, one face (sample2.jpg) moving across; source sample3.jpg`,
  note: 'built-in engine; msPerFrame is each stage summed over the run divided by frames; peak memory is the resident memory of the whole browser (all its processes) during the swap, beside what it held before; handsCost is the WASM run beside the same clip with blend.hands off (no hand models run); readbacksPerFrame counts every GPUBuffer.mapAsync (the face and hand model outputs, and the frame itself where it cannot stay on the GPU); long1080p streams a BENCH_LONG_SECONDS 1920x1080 clip on WASM for its memory; the WebGPU path here is SwiftShader, a software adapter, so it runs only the first seconds given by BENCH_WEBGPU_SECONDS',
  wasm,
  handsCost,
  webgpu,
  long1080p,
};
console.log(JSON.stringify(report, null, 2));
const longPeak = long1080p.memoryMiB ? `${long1080p.memoryMiB.peak} MiB` : 'skipped';
console.log(
  `video-swap: wasm ${wasm.fps} fps (hands off ${handsCost.fpsHandsOff}: ratio ${handsCost.fpsRatio}), peak ${wasm.peakMemoryMiB} MiB, flicker ${wasm.flicker.ratio}, dropout frames ${wasm.dropoutFrames}; webgpu (${webgpu.adapter}) ${webgpu.fps} fps over ${webgpu.frames} frames, ${webgpu.readbacksPerFrame.total} readbacks per frame, flicker ${webgpu.flicker.ratio}, dropout frames ${webgpu.dropoutFrames}; 1080p long clip peak ${longPeak}`,
);
