import { AutomationSession, isAutomationError } from '../scripts/lib/automation';
import type { BackendChoice } from '../src/shared/config';
import { faceInFrame, faceSprite, installVideoFixtures, type ClipSpec } from '../tests/fixtures/video';
import { sampleBase64 } from '../tests/fixtures/samples';
import { watchPeakMemory } from './video/peak-memory';

/**
 * Video benchmark: a 10-second 1280x720 30 fps H.264 clip with one face moving across it and a
 * tone (made in the browser with WebCodecs), swapped with the built-in engine on the WASM path and
 * on the WebGPU path (SwiftShader here: only its first BENCH_WEBGPU_SECONDS, default 0.2). Prints one
 * JSON object: fps, ms per stage per frame, peak memory of the browser, and the flicker ratio (mean
 * absolute frame-to-frame change inside the face box, output over input; 1.0 adds no flicker).
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

async function measure(backend: BackendChoice, trimS: number) {
  const session = await AutomationSession.start(backend);
  try {
    const { page } = session;
    await installVideoFixtures(page);
    await page.evaluate(async (spec) => {
      window.doppelClips.bench = await window.doppelVideoFixtures.makeClip(spec);
    }, spec);
    const peakMemory = watchPeakMemory();
    const started = performance.now();
    const result = await page.evaluate(
      ({ source, trimS, seconds }) =>
        window.doppel.swapVideo({
          source,
          video: window.doppelClips.bench!,
          faces: 'all',
          container: 'mp4',
          quality: 'medium',
          outputName: 'bench.mp4',
          trim: trimS < seconds ? { startS: 0, endS: trimS } : undefined,
        }),
      { source: sampleBase64(3), trimS, seconds },
    );
    const wallMs = performance.now() - started;
    const peakMiB = peakMemory();
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
    return {
      backend: result.backend,
      swapper: result.swapper,
      adapter: session.info.adapter,
      frames: result.frames,
      framesSwapped: result.framesSwapped,
      audioKept: result.audioKept,
      fps: Math.round(result.fps * 100) / 100,
      wallSeconds: Math.round(wallMs / 100) / 10,
      msPerFrame: perFrame,
      peakMemoryMiB: peakMiB,
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
const webgpu = await measure('webgpu', Math.min(webgpuSeconds, seconds));
const report = {
  benchmark: 'video-swap',
  clip: `${seconds} s, 1280x720, ${fps} fps, H.264 + Opus tone, one face (sample2.jpg) moving across; source sample3.jpg`,
  note: 'built-in engine; msPerFrame is each stage summed over the run divided by frames; peak memory is the resident memory of the whole browser (all its processes) during the swap; the WebGPU path here is SwiftShader, a software adapter, so it runs only the first seconds given by BENCH_WEBGPU_SECONDS',
  wasm,
  webgpu,
};
console.log(JSON.stringify(report, null, 2));
console.log(
  `video-swap: wasm ${wasm.fps} fps, peak ${wasm.peakMemoryMiB} MiB, flicker ${wasm.flicker.ratio}; webgpu (${webgpu.adapter}) ${webgpu.fps} fps over ${webgpu.frames} frames, flicker ${webgpu.flicker.ratio}`,
);
