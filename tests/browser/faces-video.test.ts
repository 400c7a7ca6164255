import { afterAll, beforeAll, expect, test } from 'vitest';
import { AutomationSession, isAutomationError } from '../../scripts/lib/automation';
import { sampleBase64 } from '../fixtures/samples';
import { inside, meanDifference } from '../fixtures/frame-difference';
import { faceInFrame, faceSprite, installVideoFixtures, makeClip } from '../fixtures/video';

/**
 * Reference mode through a video (WASM): two different people (sample2.jpg's and sample6.jpg's)
 * cross the frame; the reference is the first one on the first frame. Each followed face is decided
 * once, where it first shows, so the swap stays on the same person across the crossing.
 */

let session: AutomationSession;
const crossing = {
  a: faceSprite(2, 110, [20, 10], [350, 10]),
  b: faceSprite(6, 110, [350, 140], [20, 140]),
};

beforeAll(async () => {
  session = await AutomationSession.start('wasm');
  await installVideoFixtures(session.page);
  await makeClip(session.page, 'crossing', {
    width: 480,
    height: 270,
    fps: 15,
    frames: 15,
    container: 'webm',
    videoCodec: 'vp9',
    sprites: [crossing.a, crossing.b],
    toneHz: 330,
  });
}, 180_000);

afterAll(async () => {
  await session?.close();
});

test('a video swapped by reference: only the person like the reference, before and after the crossing', async () => {
  const result = await session.page.evaluate(
    (source) =>
      window.doppel.swapVideo({
        source,
        video: window.doppelClips.crossing!,
        faces: 'all',
        container: 'webm',
        quality: 'high',
        outputName: 'by-reference.webm',
        likeness: { reference: { targetFace: 0 }, threshold: 0.7 },
      }),
    sampleBase64(3),
  );
  if (isAutomationError(result)) throw new Error(`${result.error.code}: ${result.error.message}`);
  console.log(`matches: ${JSON.stringify(result.matches)}`);
  expect(result.frames).toBe(15);
  expect(result.matches!.filter((m) => m.sourceFace !== null)).toHaveLength(1);
  // The first face found is the reference itself; it gets the source face (the source photo's largest).
  expect(result.matches![0]!.face).toBe(0);
  expect(result.matches![0]!.sourceFace).not.toBeNull();
  expect(result.matches![0]!.similarity).toBeGreaterThan(0.9);
  await session.page.evaluate(async () => {
    const { data } = await window.doppel.readVideoOutput('by-reference.webm');
    window.doppelClips['by-reference.webm'] = new Blob([Uint8Array.from(atob(data), (c) => c.charCodeAt(0))]);
  });
  const decode = (clip: string) =>
    session.page.evaluate(async (c) => window.doppelVideoFixtures.decodeFrames(window.doppelClips[c]!), clip);
  const input = await decode('crossing');
  const output = await decode('by-reference.webm');
  const diffs = input.frames.map((frame, i) => {
    const a = faceInFrame(crossing.a, i, 15);
    const b = faceInFrame(crossing.b, i, 15);
    return {
      a: meanDifference(frame, output.frames[i]!, 480, (x, y) => inside(a, x, y)).mean,
      b: meanDifference(frame, output.frames[i]!, 480, (x, y) => inside(b, x, y)).mean,
    };
  });
  console.log(`mean |output - input| in face A (the reference) and face B: ${JSON.stringify(diffs)}`);
  for (const d of diffs) {
    expect(d.a).toBeGreaterThan(5);
    expect(d.b).toBeLessThan(4);
    expect(d.a).toBeGreaterThan(3 * d.b);
  }
});
