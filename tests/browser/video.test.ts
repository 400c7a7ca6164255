import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  AutomationSession,
  isAutomationError,
  type AutomationError,
  type VideoAutomationRequest,
  type VideoAutomationResult,
  type VideoDriverProgress,
} from '../../scripts/lib/automation';
import { sampleBase64 } from '../fixtures/samples';
import { inside, meanDifference } from '../fixtures/frame-difference';
import { faceInFrame, faceSprite, installVideoFixtures, makeClip, oneFaceClip } from '../fixtures/video';

type ClipRequest = Omit<VideoAutomationRequest, 'video' | 'source'> & { clip: string };

let session: AutomationSession;
const source = sampleBase64(3);
const one = oneFaceClip('mp4', 'avc');
const crossing = {
  a: faceSprite(2, 110, [20, 10], [350, 10]),
  b: faceSprite(6, 110, [350, 140], [20, 140]),
};
let oneBytes: Buffer;

beforeAll(async () => {
  session = await AutomationSession.start('wasm');
  await installVideoFixtures(session.page);
  oneBytes = await makeClip(session.page, 'one', one.spec);
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
});

afterAll(async () => {
  await session?.close();
});

/** Swaps a clip made in the page; `onProgress` hears each frame. */
async function swapClip(
  request: ClipRequest,
  onProgress?: (progress: VideoDriverProgress) => void,
): Promise<VideoAutomationResult | AutomationError> {
  await session.listenToVideoProgress(onProgress);
  return session.page.evaluate(
    ({ clip, ...rest }) => window.doppel.swapVideo({ ...rest, video: window.doppelClips[clip]! }),
    { ...request, source },
  );
}

async function swapped(request: ClipRequest): Promise<VideoAutomationResult> {
  const result = await swapClip(request);
  if (isAutomationError(result)) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result;
}

/** Copies a finished video out of OPFS into the page's clips, under its own name. */
async function keepOutput(name: string): Promise<void> {
  await session.page.evaluate(async (n) => {
    const { data } = await window.doppel.readVideoOutput(n);
    window.doppelClips[n] = new Blob([Uint8Array.from(atob(data), (c) => c.charCodeAt(0))]);
  }, name);
}

function decode(clip: string) {
  return session.page.evaluate(
    async (c) => window.doppelVideoFixtures.decodeFrames(window.doppelClips[c]!),
    clip,
  );
}

function audio(clip: string) {
  return session.page.evaluate(
    async (c) => window.doppelVideoFixtures.readAudio(window.doppelClips[c]!),
    clip,
  );
}

function outputs(): Promise<string[]> {
  return session.page.evaluate(() => window.doppel.listVideoOutputs());
}

/** Frame timestamps equal within the containers' resolution (WebM keeps milliseconds). */
function expectSameTimes(actual: number[], expected: number[]): void {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((t, i) => expect(Math.abs(t - expected[i]!)).toBeLessThan(0.0011));
}

/** The tone's frequency, from the zero crossings of mono float PCM (base64). */
function toneHz(pcm: string, sampleRate: number): number {
  const buffer = Buffer.from(pcm, 'base64');
  const samples = new Float32Array(buffer.buffer, buffer.byteOffset, buffer.length / 4);
  let crossings = 0;
  for (let i = 1; i < samples.length; i++) if (samples[i - 1]! < 0 !== samples[i]! < 0) crossings++;
  return crossings / 2 / (samples.length / sampleRate);
}

describe('video swaps (WASM, built-in engine)', () => {
  test('MP4 in, WebM out: same frames and timestamps, audio copied, the face swapped and the rest kept', async () => {
    const info = await session.page.evaluate(() => window.doppel.videoInfo(window.doppelClips.one!));
    expect(info).toMatchObject({
      width: 320,
      height: 240,
      frames: 15,
      frameRate: expect.closeTo(15, 3),
      videoCodec: 'avc',
      audioCodec: 'opus',
      container: 'MP4',
    });
    const progress: VideoDriverProgress[] = [];
    await session.listenToVideoProgress((p) => progress.push(p));
    const result = await session.page.evaluate(
      (src) =>
        window.doppel.swapVideo({
          source: src,
          video: window.doppelClips.one!,
          faces: 'all',
          container: 'webm',
          quality: 'high',
          outputName: 'one.webm',
        }),
      source,
    );
    if (isAutomationError(result)) throw new Error(result.error.message);
    console.log(`video swap: ${JSON.stringify(result)}`);
    expect(result).toMatchObject({
      outputName: 'one.webm',
      frames: 15,
      framesSwapped: 15,
      dropoutFrames: 0,
      facesTracked: 1,
      audioKept: true,
      frameRate: expect.closeTo(15, 3),
      engine: 'builtin',
      backend: 'wasm',
    });
    expect(result.mimeType).toContain('vp09');
    expect(progress.map((p) => p.framesDone)).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
    expect(progress.every((p) => p.framesTotal === 15)).toBe(true);
    expect(progress[0]!.preview).toEqual([320, 240]);
    expect(await outputs()).toContain('one.webm');

    await keepOutput('one.webm');
    const input = await decode('one');
    const output = await decode('one.webm');
    expect(output.codec).toBe('vp9');
    expectSameTimes(output.timestamps, input.timestamps);
    const audioIn = await audio('one');
    const audioOut = await audio('one.webm');
    expect(audioOut).toEqual(audioIn);
    expect(toneHz(audioOut!.pcm, audioOut!.sampleRate)).toBeGreaterThan(430);
    expect(toneHz(audioOut!.pcm, audioOut!.sampleRate)).toBeLessThan(450);
    // The video lasts as long (the input's container says 1.02 s: the Opus track's padding).
    expect(input.endS).toBeCloseTo(1, 3);
    expect(result.durationS).toBeCloseTo(input.endS, 3);
    expect(output.durationS).toBeCloseTo(input.endS, 2);
    const diffs = input.frames.map((frame, i) => {
      const face = faceInFrame(one.sprite, i, 15);
      return {
        face: meanDifference(frame, output.frames[i]!, 320, (x, y) => inside(face, x, y)).mean,
        rest: meanDifference(frame, output.frames[i]!, 320, (x, y) => !inside(face, x, y, 0.3)).mean,
      };
    });
    console.log(`mean |output - input| per frame: ${JSON.stringify(diffs)}`);
    // Re-encoding alone moves the pixels by about 1; the swapped face by several times that.
    for (const d of diffs) {
      expect(d.face).toBeGreaterThan(6 * d.rest);
      expect(d.rest).toBeLessThan(4);
    }
  });

  test('the frame at a time, for the face picker', async () => {
    const frame = await session.page.evaluate(() => window.doppel.videoFrame(window.doppelClips.one!, 0.5));
    if (isAutomationError(frame)) throw new Error(frame.error.message);
    const input = await decode('one');
    expect([frame.width, frame.height]).toEqual([320, 240]);
    const all = () => true;
    // 0.5 s lies in frame 7 (0.467 to 0.533 s); frame 8 shows the face elsewhere.
    expect(meanDifference(frame.rgba, input.frames[7]!, 320, all).mean).toBeLessThan(1);
    expect(meanDifference(frame.rgba, input.frames[10]!, 320, all).mean).toBeGreaterThan(5);
  });

  test('two faces cross: only the chosen one is swapped, before and after the crossing (WebM in, MP4 out)', async () => {
    const result = await swapped({
      clip: 'crossing',
      faces: [0],
      container: 'mp4',
      quality: 'high',
      outputName: 'crossing.mp4',
    });
    expect(result).toMatchObject({
      frames: 15,
      // WebM keeps millisecond timestamps: 1/15 s steps come out a hair off.
      frameRate: expect.closeTo(15, 1),
      facesTracked: 1,
      framesSwapped: 15,
      audioKept: true,
    });
    // The detector ran on the keyframes only (the first, then every 10th or when tracking failed).
    const follow = result.follow!;
    expect(follow.keyframes).toBeGreaterThanOrEqual(2);
    expect(follow.keyframes).toBeLessThan(15);
    expect(follow.keyframes + follow.trackedFrames).toBe(15);
    expect(result.mimeType).toContain('avc1');
    await keepOutput('crossing.mp4');
    const input = await decode('crossing');
    const output = await decode('crossing.mp4');
    expectSameTimes(output.timestamps, input.timestamps);
    const diffs = input.frames.map((frame, i) => {
      const a = faceInFrame(crossing.a, i, 15);
      const b = faceInFrame(crossing.b, i, 15);
      return {
        aLeftOfB: a[0] < b[0],
        a: meanDifference(frame, output.frames[i]!, 480, (x, y) => inside(a, x, y)).mean,
        b: meanDifference(frame, output.frames[i]!, 480, (x, y) => inside(b, x, y)).mean,
      };
    });
    console.log(`crossing, mean |output - input| in face A (chosen) and face B: ${JSON.stringify(diffs)}`);
    expect(diffs.some((d) => d.aLeftOfB)).toBe(true);
    expect(diffs.some((d) => !d.aLeftOfB)).toBe(true);
    // Face B changes only by re-encoding, which moves a detailed face's pixels more than a flat
    // background's (about 4 in Chromium 150's encoder): under half of what the swap does to A.
    for (const d of diffs) {
      expect(d.a).toBeGreaterThan(8);
      expect(d.b).toBeLessThan(d.a / 2);
    }
  });

  test('cancel halfway: CANCELLED and no file left; paused jobs hold, and the next (trimmed) job works', async () => {
    const seen: number[] = [];
    const cancelled = await swapClip(
      { clip: 'one', faces: 'all', container: 'mp4', quality: 'low', outputName: 'cancelled.mp4' },
      (p) => {
        seen.push(p.framesDone);
        if (p.framesDone === 7) void session.page.evaluate(() => window.doppel.cancel());
      },
    );
    expect(cancelled).toEqual({ error: expect.objectContaining({ code: 'CANCELLED' }) });
    expect(Math.max(...seen)).toBeLessThan(15);
    expect(await outputs()).not.toContain('cancelled.mp4');

    const seen2: number[] = [];
    let held = false;
    const trimmed = swapClip(
      {
        clip: 'one',
        faces: 'all',
        container: 'mp4',
        quality: 'medium',
        outputName: 'trim.mp4',
        trim: { startS: 0.4, endS: 0.8 },
      },
      (p) => {
        if (p.held) held = true;
        else seen2.push(p.framesDone);
        if (p.framesDone === 1) void session.page.evaluate(() => window.doppel.pauseVideo());
      },
    );
    // The frame loop reports when it stops at the pause gate; frames already past it may finish.
    await expect.poll(() => held, { timeout: 60_000 }).toBe(true);
    expect(seen2.length).toBeGreaterThan(0);
    expect(seen2.length).toBeLessThan(6);
    await session.page.evaluate(() => window.doppel.resumeVideo());
    const result = await trimmed;
    if (isAutomationError(result)) throw new Error(result.error.message);
    expect(result.frames).toBe(6);
    await keepOutput('trim.mp4');
    const output = await decode('trim.mp4');
    expect(output.frames).toHaveLength(6);
    expect(output.timestamps[0]).toBeCloseTo(0, 3);
    expect(output.durationS).toBeCloseTo(0.4, 2);
    const input = await decode('one');
    const rest = (i: number) => (x: number, y: number) => !inside(faceInFrame(one.sprite, i, 15), x, y, 0.3);
    // Output frame 0 is input frame 6 (0.4 s): the background matches it, not input frame 0's.
    expect(meanDifference(output.frames[0]!, input.frames[6]!, 320, rest(6)).mean).toBeLessThan(4);
    expect(result.audioKept).toBe(true);
    const audioOut = await audio('trim.mp4');
    const audioIn = await audio('one');
    expect(audioOut!.packetCount).toBeLessThan(audioIn!.packetCount * 0.6);
  });

  test('bad input: truncated, audio only, ProRes: a clear code, no output file, and the worker takes the next job', async () => {
    await session.page.evaluate(
      async ({ truncated }) => {
        const f = window.doppelVideoFixtures;
        window.doppelClips.truncated = new Blob([Uint8Array.from(atob(truncated), (c) => c.charCodeAt(0))]);
        window.doppelClips.audioOnly = await f.makeClip({
          width: 320,
          height: 240,
          fps: 15,
          frames: 15,
          container: 'mp4',
          videoCodec: 'avc',
          sprites: [],
          toneHz: 440,
          audioOnly: true,
        });
        window.doppelClips.prores = await f.makeProResClip(320, 240, 5);
      },
      { truncated: oneBytes.subarray(0, Math.round(oneBytes.length * 0.6)).toString('base64') },
    );
    const before = await outputs();
    const cases = [
      ['truncated', 'VIDEO_TRUNCATED', 'cut short'],
      ['audioOnly', 'VIDEO_NO_VIDEO_TRACK', 'no video track'],
      ['prores', 'VIDEO_CODEC_UNSUPPORTED', 'ProRes'],
    ] as const;
    for (const [clip, code, says] of cases) {
      const result = await swapClip({ clip, faces: 'all', container: 'mp4', outputName: `${clip}.mp4` });
      console.log(`${clip}: ${JSON.stringify(result)}`);
      expect(result).toEqual({ error: { code, message: expect.stringContaining(says) } });
      expect(await outputs()).toEqual(before);
    }
    const info = await session.page.evaluate(() => window.doppel.videoInfo(window.doppelClips.prores!));
    expect(info).toMatchObject({ videoCodec: null, container: 'QuickTime', frames: 5, width: 320 });
    // The next job: MKV with PCM sound, which WebM cannot hold: the video comes out, the sound is
    // left out and said so (audioKept false), never re-encoded behind the user's back.
    await makeClip(session.page, 'pcm', {
      ...one.spec,
      container: 'mkv',
      videoCodec: 'vp9',
      audioCodec: 'pcm-s16',
    });
    expect((await audio('pcm'))?.codec).toBe('pcm-s16');
    const next = await swapped({
      clip: 'pcm',
      faces: 'all',
      container: 'webm',
      outputName: 'next.webm',
      trim: { startS: 0, endS: 0.2 },
    });
    expect(next).toMatchObject({ frames: 3, audioKept: false });
    await keepOutput('next.webm');
    expect(await audio('next.webm')).toBeNull();
    expect((await decode('next.webm')).frames).toHaveLength(3);
  });
});
