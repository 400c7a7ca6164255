import { describe, expect, test } from 'vitest';
import { FaceFollower, type FaceFinder } from '../../src/workers/engine/face-follower';
import type { DetectedFace } from '../../src/workers/engine/faces';
import type { FaceInput } from '../../src/workers/engine/face-input';

const frame: FaceInput = {
  width: 640,
  height: 480,
  tensor: () => Promise.reject(new Error('the scripted finder reads no pixels')),
};

function face(x: number, y: number, score = 0.99): DetectedFace {
  return { box: [x, y, 100, 100], score, rollDeg: 0, mesh: new Float32Array([x, y, x + 100, y + 100]) };
}

/** A finder over a scripted scene: `scene(frame)` is what is in view; `track` can lose faces. */
function scripted(
  scene: (n: number) => DetectedFace[],
  lose: (n: number, i: number) => boolean = () => false,
) {
  const calls: string[] = [];
  const motions: (readonly (readonly [number, number])[] | undefined)[] = [];
  let n = -1;
  const finder: FaceFinder = {
    detect: async () => {
      calls.push(`detect ${n}`);
      return scene(n);
    },
    track: async (_image, previous, motion) => {
      calls.push(`track ${n}`);
      motions.push(motion);
      return previous.map((_, i) => (lose(n, i) ? null : (scene(n)[i] ?? null)));
    },
  };
  return {
    finder,
    calls,
    motions,
    step: () => n++,
  };
}

async function run(follower: FaceFollower, step: () => number, frames: number) {
  const seen: number[] = [];
  for (let i = 0; i < frames; i++) {
    step();
    seen.push((await follower.next(frame)).length);
  }
  return seen;
}

describe('FaceFollower', () => {
  test('runs the detector on keyframes only, the mesh in between', async () => {
    const s = scripted((n) => [face(10 + n * 5, 20), face(300, 200)]);
    const follower = new FaceFollower(s.finder, { keyframeEvery: 10, minTrackScore: 0.5 });
    expect(await run(follower, s.step, 25)).toEqual(Array(25).fill(2));
    expect(s.calls.filter((c) => c.startsWith('detect'))).toEqual(['detect 0', 'detect 10', 'detect 20']);
    expect(follower.counts).toEqual({ keyframes: 3, trackedFrames: 22 });
  });

  test('predicts each crop from the face’s last step', async () => {
    const s = scripted((n) => [face(10 + n * 7, 20 + n * 3)]);
    const follower = new FaceFollower(s.finder, { keyframeEvery: 10, minTrackScore: 0.5 });
    await run(follower, s.step, 4);
    expect(s.motions[0]).toEqual([[0, 0]]);
    expect(s.motions[1]).toEqual([[7, 3]]);
    expect(s.motions[2]).toEqual([[7, 3]]);
  });

  test('a lost or unsure face sends that very frame to the detector', async () => {
    const s = scripted(
      (n) => [face(10, 20, n === 6 ? 0.2 : 0.99), face(300, 200)],
      (n, i) => n === 3 && i === 1,
    );
    const follower = new FaceFollower(s.finder, { keyframeEvery: 10, minTrackScore: 0.5 });
    await run(follower, s.step, 8);
    expect(s.calls).toContain('track 3');
    expect(s.calls).toContain('detect 3');
    expect(s.calls).toContain('track 6');
    expect(s.calls).toContain('detect 6');
    expect(s.calls.filter((c) => c.startsWith('detect'))).toEqual(['detect 0', 'detect 3', 'detect 6']);
  });

  test('two tracked faces collapsing onto one go back to the detector', async () => {
    const s = scripted((n) =>
      n === 2 ? [face(100, 100), face(105, 102)] : [face(100, 100), face(400, 100)],
    );
    const follower = new FaceFollower(s.finder, { keyframeEvery: 10, minTrackScore: 0.5 });
    await run(follower, s.step, 3);
    expect(s.calls).toEqual(['detect 0', 'track 1', 'track 2', 'detect 2']);
  });

  test('with no face in view, the detector looks again only on keyframes', async () => {
    const s = scripted((n) => (n >= 4 ? [face(50, 50)] : []));
    const follower = new FaceFollower(s.finder, { keyframeEvery: 5, minTrackScore: 0.5 });
    expect(await run(follower, s.step, 7)).toEqual([0, 0, 0, 0, 0, 1, 1]);
    expect(s.calls.filter((c) => c.startsWith('detect'))).toEqual(['detect 0', 'detect 5']);
  });
});
