import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AutomationSession, isAutomationError } from '../../scripts/lib/automation';
import { sampleBase64 } from '../fixtures/samples';
import { faceInFrame, faceSprite, installVideoFixtures, makeClip, type ClipSpec } from '../fixtures/video';

/**
 * The swapped face's tone over a video's frames, on WASM: a face moving under a flickering light
 * (its brightness alternating between 1 and 0.8 from frame to frame) is swapped with the tracked
 * face's colour statistics smoothed over time (the default) and without; the luma spread of the
 * output face, measured on the decoded frames, changes less from frame to frame when smoothed.
 */
const frames = 12;
const sprite = faceSprite(2, 160, [40, 20], [110, 40]);
const spec: ClipSpec = {
  width: 320,
  height: 240,
  fps: 15,
  frames,
  container: 'mp4',
  videoCodec: 'avc',
  sprites: [sprite],
  spriteBrightness: [1, 0.8],
};
const boxes = Array.from({ length: frames }, (_, i) => faceInFrame(sprite, i, frames));

let session: AutomationSession;

beforeAll(async () => {
  session = await AutomationSession.start('wasm');
  await installVideoFixtures(session.page);
  await makeClip(session.page, 'light', spec);
});

afterAll(async () => {
  await session?.close();
});

/** The clip swapped (smoothing on or off): the result, and the output face's luma per frame. */
async function swapLight(smoothing: boolean) {
  const name = `light-${smoothing ? 'smoothed' : 'raw'}.mp4`;
  const result = await session.page.evaluate(
    ({ source, name, smoothing }) =>
      window.doppel.swapVideo({
        source,
        video: window.doppelClips.light!,
        faces: 'all',
        container: 'mp4',
        quality: 'high',
        outputName: name,
        blend: { smoothing },
      }),
    { source: sampleBase64(3), name, smoothing },
  );
  if (isAutomationError(result)) throw new Error(`${result.error.code}: ${result.error.message}`);
  const luma = await session.page.evaluate(
    async ({ name, boxes }) => {
      const directory = await (await navigator.storage.getDirectory()).getDirectoryHandle('video-output');
      const file = await (await directory.getFileHandle(name)).getFile();
      return window.doppelVideoFixtures.faceLuma(file, boxes);
    },
    { name, boxes },
  );
  return { result, luma };
}

/** Mean absolute change from each frame to the next. */
function meanChange(values: number[]): number {
  let sum = 0;
  for (let i = 1; i < values.length; i++) sum += Math.abs(values[i]! - values[i - 1]!);
  return sum / Math.max(1, values.length - 1);
}

describe('video: the swapped face keeps a steady tone', () => {
  it('smoothing the colour statistics over the frames steadies the output face', async () => {
    const input = await session.page.evaluate(
      (boxes) => window.doppelVideoFixtures.faceLuma(window.doppelClips.light!, boxes),
      boxes,
    );
    const smoothed = await swapLight(true);
    const raw = await swapLight(false);
    for (const { result } of [smoothed, raw]) {
      expect(result.framesSwapped).toBe(frames);
      expect(result.dropoutFrames).toBe(0);
    }
    // The light does flicker in the input: its face's mean luma alternates.
    expect(meanChange(input.map((s) => s.mean))).toBeGreaterThan(8);
    const spreadChange = (run: typeof raw) => meanChange(run.luma.map((s) => s.spread));
    expect(spreadChange(smoothed)).toBeLessThan(spreadChange(raw));
  });
});
