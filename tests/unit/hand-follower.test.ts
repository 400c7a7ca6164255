import { describe, expect, test } from 'vitest';
import type { FaceInput } from '../../src/workers/engine/face-input';
import type { FoundHand } from '../../src/workers/engine/hand-finder';
import { HandFollower, type HandTracker } from '../../src/workers/engine/hand-follower';

const frame: FaceInput = {
  width: 640,
  height: 480,
  tensor: () => Promise.reject(new Error('the scripted tracker reads no pixels')),
};
const faces: [number, number, number, number][] = [[200, 100, 150, 150]];

/** A hand whose 21 keypoints lie on a 60-pixel square from (x, y). */
function hand(x: number, y: number): FoundHand {
  const keypoints = new Float32Array(42);
  for (let i = 0; i < 21; i++) {
    keypoints[i * 2] = x + (i % 5) * 15;
    keypoints[i * 2 + 1] = y + Math.floor(i / 5) * 15;
  }
  return { keypoints, score: 0.9 };
}

/** A tracker over a scripted scene: `scene(frame)` is what is in view; `track` finds a hand only where it still is. */
function scripted(scene: (n: number) => FoundHand[], lose: (n: number) => boolean = () => false) {
  const calls: string[] = [];
  const motions: (readonly (readonly [number, number])[])[] = [];
  let n = -1;
  const tracker: HandTracker = {
    find: async () => {
      calls.push(`find ${n}`);
      return scene(n);
    },
    track: async (_image, hands, motion) => {
      calls.push(`track ${n}`);
      motions.push(motion);
      return hands.map((_, i) => (lose(n) ? null : (scene(n)[i] ?? null)));
    },
  };
  return { tracker, calls, motions, step: () => n++ };
}

async function run(follower: HandFollower, step: () => number, frames: number) {
  const seen: number[][] = [];
  for (let i = 0; i < frames; i++) {
    step();
    seen.push((await follower.next(frame, faces)).map((h) => h.keypoints[0]!));
  }
  return seen;
}

describe('HandFollower', () => {
  test('runs the detector every few frames and follows the hands it found with the landmarks in between', async () => {
    const s = scripted((n) => [hand(220 + n * 10, 150)]);
    const follower = new HandFollower(s.tracker, 3);
    const seen = await run(follower, s.step, 7);
    // Each frame's hand where it is in that frame: a moving hand is never kept where it was.
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6].map((n) => [220 + n * 10]));
    // On the detector's frames the followed hand is looked for too (kept if the detector missed it).
    expect(s.calls).toEqual([
      'find 0',
      'track 1',
      'track 2',
      'track 3',
      'find 3',
      'track 4',
      'track 5',
      'track 6',
      'find 6',
    ]);
    // Each crop is moved by the hand's last step (none right after the detector).
    expect(s.motions).toEqual([[[0, 0]], [[10, 0]], [[10, 0]], [[0, 0]], [[10, 0]], [[10, 0]]]);
  });

  test('a hand lost between detector runs sends the same frame back to the detector', async () => {
    const s = scripted(
      (n) => (n === 2 ? [hand(400, 300)] : [hand(220, 150)]),
      (n) => n === 2,
    );
    const follower = new HandFollower(s.tracker, 10);
    const seen = await run(follower, s.step, 4);
    expect(seen).toEqual([[220], [220], [400], [220]]);
    expect(s.calls).toEqual(['find 0', 'track 1', 'track 2', 'track 2', 'find 2', 'track 3']);
  });

  test('a hand the detector misses on its frame is kept while the landmark model still sees it', async () => {
    const s = scripted(() => [hand(220, 150)]);
    // The detector finds the hand on the first frame only.
    const tracker: HandTracker = {
      find: async (image, faces) => {
        const found = await s.tracker.find(image, faces);
        return s.calls.length > 1 ? [] : found;
      },
      track: s.tracker.track,
    };
    const follower = new HandFollower(tracker, 2);
    expect(await run(follower, s.step, 4)).toEqual([[220], [220], [220], [220]]);
    expect(s.calls).toEqual(['find 0', 'track 1', 'track 2', 'find 2', 'track 3']);
  });

  test('no hand in view: the landmark model does not run, the detector looks again at its cadence', async () => {
    const s = scripted((n) => (n >= 4 ? [hand(220, 150)] : []));
    const follower = new HandFollower(s.tracker, 3);
    const seen = await run(follower, s.step, 7);
    expect(seen.map((hands) => hands.length)).toEqual([0, 0, 0, 0, 0, 0, 1]);
    expect(s.calls).toEqual(['find 0', 'find 3', 'find 6']);
  });

  test('two followed hands that merge into one go back to the detector', async () => {
    const s = scripted(() => [hand(220, 150), hand(400, 150)]);
    // The landmark model takes both crops for the first hand.
    const tracker: HandTracker = {
      find: s.tracker.find,
      track: async (image, hands, motion) => {
        await s.tracker.track(image, hands, motion);
        return [hand(220, 150), hand(225, 150)];
      },
    };
    const follower = new HandFollower(tracker, 10);
    const seen = await run(follower, s.step, 2);
    expect(seen).toEqual([
      [220, 400],
      [220, 400],
    ]);
    expect(s.calls).toEqual(['find 0', 'track 1', 'track 1', 'find 1']);
  });
});
