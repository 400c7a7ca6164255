import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { AutomationSession } from '../scripts/lib/automation';
import { encodePng } from '../scripts/lib/png';
import type { ImageBenchResult } from '../src/app/automation-bench';
import { defaultConfig } from '../src/shared/config';
import { fakeCameraArgs, launchChromium } from '../tests/browser/chromium';
import { appPath, engineReady, openAppSession, slow, startTrial, thumbs } from '../tests/browser/ui';
import { writeCameraY4m } from '../tests/fixtures/camera-y4m';
import { renderMovingCrop, type MovingCrop } from '../tests/fixtures/gif';
import { sampleBase64, sampleFile } from '../tests/fixtures/samples';

/**
 * Live benchmark: the Live screen of the built app on the WASM path, fed by Chromium's fake camera
 * playing a 640x480 30 fps Y4M of a real face (sample2's middle face, moving), built-in engine.
 * After a warm-up it counts the frames drawn and dropped over BENCH_LIVE_SECONDS and reads the
 * screen's latency median and 95th percentile. Beside them, floors measured in the same browser on
 * one camera frame: the face models alone per frame (the mesh, plus the detector's passes shared
 * out over a keyframe interval) and a frame copy. Prints JSON and a one-line summary; nothing asserted.
 */
const seconds = Number(process.env.BENCH_LIVE_SECONDS ?? 10);
const camera: MovingCrop & { fps: number } = {
  sample: 2,
  crop: [578, 68, 800, 600],
  scale: 0.8,
  step: [4, 2],
  frames: 30,
  fps: 30,
};

const live = (page: Page) => page.locator('[data-screen="live"]');
const figure = async (page: Page, id: string) =>
  Number.parseFloat((await live(page).getByTestId(id).textContent()) ?? 'NaN');

/** The camera's first frame as a PNG (base64), for the floors. */
async function cameraFrame(page: Page): Promise<string> {
  const { width, height, frames } = await renderMovingCrop(page, { ...camera, frames: 1 });
  return encodePng(width, height, frames[0]!, 4, 1).toString('base64');
}

/** The face models alone and a frame copy, on one camera frame, in the automation page of the same build. */
async function floors(frame: string) {
  const automation = await AutomationSession.start('wasm');
  try {
    const bench = (await automation.page.evaluate((r) => window.doppel.benchImage(r), {
      source: sampleBase64(3),
      target: frame,
      runs: 3,
    })) as ImageBenchResult | { error: { message: string } };
    if ('error' in bench) throw new Error(bench.error.message);
    const { floors: f, faces } = bench.analyse.target;
    return {
      faceModels: f.detector / defaultConfig.detection.keyframeEvery + f.mesh,
      frameCopy: f.copy,
      facesInFrame: faces,
      swapMs: bench.swap.ms.total ?? 0,
    };
  } finally {
    await automation.close();
  }
}

const y4m = join(mkdtempSync(join(tmpdir(), 'doppel-bench-live-')), 'camera.y4m');
const maker = await launchChromium();
let frame: string;
try {
  const page = await maker.newPage();
  await writeCameraY4m(page, y4m, camera);
  frame = await cameraFrame(page);
} finally {
  await maker.close();
}

/** Runs the Live screen on the fake camera and reads its figures over `seconds` after a warm-up. */
async function runLive() {
  const session = await openAppSession({
    launch: {
      args: fakeCameraArgs(y4m),
    },
    onContext: (context) => context.grantPermissions(['camera']),
  });
  try {
    const { page } = session;
    await page.goto(`${session.baseUrl}${appPath}`);
    await engineReady(page);
    await startTrial(page);
    await page.getByTestId('source-input').setInputFiles(sampleFile(3));
    await thumbs(page, 'source')
      .first()
      .waitFor({ ...slow, state: 'attached' });
    await page.getByRole('link', { name: 'Live', exact: true }).click();
    await live(page).getByTestId('source-face').locator('canvas').waitFor(slow);
    await live(page).getByTestId('live-start').click();
    await live(page).getByTestId('live-frames').waitFor(slow);
    await page.waitForTimeout(3000);
    const at = performance.now();
    const framesBefore = await figure(page, 'live-frames');
    const droppedBefore = await figure(page, 'live-dropped');
    await page.waitForTimeout(seconds * 1000);
    const elapsedS = (performance.now() - at) / 1000;
    const frames = (await figure(page, 'live-frames')) - framesBefore;
    const dropped = (await figure(page, 'live-dropped')) - droppedBefore;
    const result = {
      fps: Math.round((frames / elapsedS) * 10) / 10,
      latencyMs: { p50: await figure(page, 'live-latency'), p95: await figure(page, 'live-latency-p95') },
      framesDrawn: frames,
      framesDropped: dropped,
      droppedShare: Math.round((dropped / Math.max(1, frames + dropped)) * 100) / 100,
      facesSwapped: await figure(page, 'live-faces'),
    };
    await live(page).getByTestId('live-stop').click();
    return result;
  } finally {
    await session.close();
  }
}

const result = await runLive();
const floor = await floors(frame);
const msPerFrame = 1000 / Math.max(result.fps, 0.001);
const report = {
  benchmark: 'live',
  camera:
    '640x480 at 30 fps (fake camera, Y4M of sample2.jpg, moving); source sample3.jpg; WASM, built-in engine',
  seconds,
  ...result,
  floorMsPerFrame: {
    faceModels: Math.round(floor.faceModels * 10) / 10,
    frameCopy: Math.round(floor.frameCopy * 10) / 10,
    swapOnAnalysedFrame: Math.round(floor.swapMs * 10) / 10,
  },
  ratio: {
    frameTimeToFaceModels: Math.round((msPerFrame / floor.faceModels) * 100) / 100,
    frameTimeToModelsAndSwap: Math.round((msPerFrame / (floor.faceModels + floor.swapMs)) * 100) / 100,
  },
};
console.log(JSON.stringify(report, null, 2));
console.log(
  `live: ${report.fps} fps, latency p50 ${report.latencyMs.p50} ms, p95 ${report.latencyMs.p95} ms, ${report.framesDropped} dropped; floor per frame ${report.floorMsPerFrame.faceModels} ms models + ${report.floorMsPerFrame.swapOnAnalysedFrame} ms swap`,
);
