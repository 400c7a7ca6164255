import { AutomationSession, isAutomationError } from '../../scripts/lib/automation';
import { faceSprite, installVideoFixtures, type ClipSpec } from '../../tests/fixtures/video';
import { sampleBase64 } from '../../tests/fixtures/samples';
import { descendantsRss, watchPeakMemory } from './peak-memory';

const seconds = Number(process.env.BENCH_LONG_SECONDS ?? 20);
const fps = 30;

/**
 * Peak memory while streaming a long 1920x1080 clip (`BENCH_LONG_SECONDS`, default 20; 0 skips it)
 * through the built-in engine on WASM: the browser's resident memory (all its processes) before the
 * swap, at its peak, and at a quarter and at nine tenths of the frames, so growth with the clip's
 * length shows.
 */
export async function measureLongClip() {
  if (seconds <= 0) return { skipped: 'BENCH_LONG_SECONDS=0' };
  const spec: ClipSpec = {
    width: 1920,
    height: 1080,
    fps,
    frames: seconds * fps,
    container: 'mp4',
    videoCodec: 'avc',
    sprites: [faceSprite(2, 560, [80, 160], [1200, 300])],
    toneHz: 440,
  };
  const session = await AutomationSession.start('wasm');
  try {
    const { page } = session;
    await installVideoFixtures(page);
    await page.evaluate(async (spec) => {
      window.doppelClips.long = await window.doppelVideoFixtures.makeClip(spec);
    }, spec);
    const at: Record<string, number> = {};
    const marks = { quarter: Math.round(spec.frames / 4), nineTenths: Math.round(spec.frames * 0.9) };
    await session.listenToVideoProgress((progress) => {
      for (const [name, frame] of Object.entries(marks))
        if (progress.framesDone === frame) at[name] = Math.round(descendantsRss() / 2 ** 20);
    });
    const memory = watchPeakMemory();
    const result = await page.evaluate(
      (source) =>
        window.doppel.swapVideo({
          source,
          video: window.doppelClips.long!,
          faces: 'all',
          container: 'mp4',
          quality: 'medium',
          outputName: 'long.mp4',
        }),
      sampleBase64(3),
    );
    const { beforeMiB, peakMiB } = memory();
    if (isAutomationError(result)) throw new Error(`${result.error.code}: ${result.error.message}`);
    await page.evaluate(() => window.doppel.removeVideoOutput('long.mp4'));
    return {
      seconds,
      frames: result.frames,
      fps: Math.round(result.fps * 100) / 100,
      memoryMiB: {
        beforeSwap: beforeMiB,
        peak: peakMiB,
        addedBySwap: peakMiB - beforeMiB,
        atQuarter: at.quarter ?? null,
        atNineTenths: at.nineTenths ?? null,
      },
    };
  } finally {
    await session.close();
  }
}
