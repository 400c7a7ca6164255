import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { AutomationSession, isAutomationError } from '../../scripts/lib/automation';
import { inside, meanDifference } from '../fixtures/frame-difference';
import { sampleBase64 } from '../fixtures/samples';
import { faceInFrame, installVideoFixtures, makeClip, oneFaceClip } from '../fixtures/video';

const frames = 8;
const clip = oneFaceClip('mp4', 'avc', frames);
let session: AutomationSession;

beforeAll(async () => {
  session = await AutomationSession.start('webgpu', undefined, {
    countReadbacks: true,
    faultInjection: true,
  });
  await installVideoFixtures(session.page);
  await makeClip(session.page, 'one', clip.spec);
});

afterAll(async () => {
  await session?.close();
});

/**
 * The built-in engine on WebGPU (SwiftShader) keeps a video's frames on the GPU from decoder to
 * encoder. Each frame's GPU buffer readbacks (every GPUBuffer.mapAsync in the engine's worker,
 * whoever calls it) are counted: one per face model pass (the detector's scores and boxes on a
 * keyframe, the mesh's points on every frame, each read as one buffer) and per hand landmark pass
 * (hands are kept by default), the same few per hand detector pass (around the face every third
 * frame: its graph's dynamic ops each read a small tensor), plus at most one of the frame itself,
 * which this software adapter must read back to hand it on because its WebGPU canvas cannot present
 * (on a hardware adapter the frame leaves through the canvas with no readback). Nothing else is read
 * back: not the decoded frame, not the models' inputs, not the swap.
 */
describe('GPU-resident video frames (WebGPU on SwiftShader)', () => {
  test('a frame costs one readback per model pass (a fixed few per hand detector pass) and one for the frame; the face is swapped', async () => {
    const result = await session.page.evaluate(
      (source) =>
        window.doppel.swapVideo({
          source,
          video: window.doppelClips.one!,
          faces: 'all',
          container: 'mp4',
          outputName: 'resident.mp4',
        }),
      sampleBase64(3),
    );
    if (isAutomationError(result)) throw new Error(result.error.message);
    console.log(`resident video: ${JSON.stringify(result)}`);
    expect(result).toMatchObject({ backend: 'webgpu', residentFrames: true, frames, framesSwapped: frames });
    const counted = result.frameReadbacks!;
    expect(counted).toHaveLength(frames);
    expect(counted[0]!.detector).toBeGreaterThan(0);
    expect(counted.slice(1).every((frame) => frame.detector === 0 && frame.mesh > 0)).toBe(true);
    // The hand detector ran on the frames' GPU copy, on the first frame and every third.
    expect(counted.filter((_, i) => i % 3 === 0).every((frame) => frame.handDetector > 0)).toBe(true);
    const perDetectorPass = new Set<number>();
    for (const frame of counted) {
      expect(frame.frame).toBeLessThanOrEqual(1);
      const rest =
        frame.readbacks - frame.detector - frame.mesh - frame.eyes - frame.handLandmarks - frame.frame;
      if (frame.handDetector === 0) expect(rest).toBe(0);
      else perDetectorPass.add(rest / frame.handDetector);
    }
    // Every hand detector pass reads back the same whole number of small tensors, and no more.
    expect(perDetectorPass.size).toBe(1);
    const [each] = perDetectorPass;
    expect(Number.isInteger(each) && each! > 0).toBe(true);
    expect(counted.filter((frame) => frame.frame === 1).length).toBeGreaterThanOrEqual(frames);

    await expectEveryFaceSwapped('resident.mp4');
  });

  test('the GPU lost midway: the job goes on on WASM from the frame in hand, every frame swapped', async () => {
    const result = await session.page.evaluate((source) => {
      window.doppelVideoProgress = (progress) => {
        if (progress.framesDone === 2) void window.doppel.loseGpu();
      };
      return window.doppel.swapVideo({
        source,
        video: window.doppelClips.one!,
        faces: 'all',
        container: 'mp4',
        outputName: 'lost.mp4',
      });
    }, sampleBase64(3));
    if (isAutomationError(result)) throw new Error(result.error.message);
    console.log(`GPU lost midway: ${JSON.stringify({ ...result, frameReadbacks: undefined })}`);
    expect(result).toMatchObject({ frames, framesSwapped: frames, gpuLost: expect.any(String) });
    await expectEveryFaceSwapped('lost.mp4');
    const after = await session.page.evaluate(() => window.doppel.init('webgpu'));
    if (isAutomationError(after)) throw new Error(after.error.message);
    expect(after).toMatchObject({ backend: 'wasm', swapper: 'cpu' });
    expect(after.reason).toMatch(/GPU stopped answering/);
  });
});

describe('a live session on WebGPU (SwiftShader)', () => {
  test('the GPU lost mid-session: the next frames are swapped on WASM', async () => {
    const live = await AutomationSession.start('webgpu', undefined, { faultInjection: true });
    try {
      await installVideoFixtures(live.page);
      await makeClip(live.page, 'one', clip.spec);
      const { input, shown } = await live.page.evaluate(async (source) => {
        const { frames: input } = await window.doppelVideoFixtures.decodeFrames(window.doppelClips.one!);
        const request = { source, width: 320, height: 240, frames: input, loseGpuBefore: 3 };
        return { input, shown: await window.doppel.swapLiveFrames(request) };
      }, sampleBase64(3));
      if (isAutomationError(shown)) throw new Error(shown.error.message);
      expect(shown.map((frame) => frame.facesSwapped)).toEqual(input.map(() => 1));
      // Live frames are not re-encoded: outside the face they are exact, so a smaller change shows.
      expectSwapped(
        input,
        shown.map((frame) => frame.rgba),
        'live',
        5,
      );
    } finally {
      await live.close();
    }
  });
});

/**
 * Each output frame has the face changed (mean over its box above `minFace`: the eyes and mouth are
 * the target's, so not all of the box changes) and the rest as it was (codec noise below 4).
 */
function expectSwapped(input: string[], output: string[], name: string, minFace = 10): void {
  expect(output).toHaveLength(frames);
  const diffs = input.map((frame, i) => {
    const face = faceInFrame(clip.sprite, i, frames);
    return {
      face: meanDifference(frame, output[i]!, 320, (x, y) => inside(face, x, y)).mean,
      rest: meanDifference(frame, output[i]!, 320, (x, y) => !inside(face, x, y, 0.3)).mean,
    };
  });
  console.log(`${name}: mean |output - input| per frame: ${JSON.stringify(diffs)}`);
  for (const d of diffs) {
    expect(d.face).toBeGreaterThan(minFace);
    expect(d.rest).toBeLessThan(4);
  }
}

/** Every frame of the output has the face changed and the rest as it was. */
async function expectEveryFaceSwapped(outputName: string): Promise<void> {
  const decoded = await session.page.evaluate(async (name) => {
    const { data } = await window.doppel.readVideoOutput(name);
    const output = new Blob([Uint8Array.from(atob(data), (c) => c.charCodeAt(0))]);
    return {
      input: await window.doppelVideoFixtures.decodeFrames(window.doppelClips.one!),
      output: await window.doppelVideoFixtures.decodeFrames(output),
    };
  }, outputName);
  expectSwapped(decoded.input.frames, decoded.output.frames, outputName);
}
