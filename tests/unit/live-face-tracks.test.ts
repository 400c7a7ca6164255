import { describe, expect, it } from 'vitest';
import type { DetectedFace } from '../../src/workers/engine/faces';
import { FaceTracks } from '../../src/workers/animation/face-tracks';

/** A face whose 468 mesh points fill a 100-px square at (x, y), each point offset by `noise(i)`. */
function face(x: number, y: number, noise: (i: number) => number = () => 0): DetectedFace {
  const mesh = new Float32Array(468 * 2);
  for (let i = 0; i < 468; i++) {
    mesh[i * 2] = x + ((i % 22) / 21) * 100 + noise(i);
    mesh[i * 2 + 1] = y + (Math.floor(i / 22) / 21) * 100 + noise(i + 1000);
  }
  return { box: [x, y, 100, 100], score: 1, rollDeg: 0, mesh };
}

const lefts = (faces: DetectedFace[]) => faces.map((f) => Math.round(f.box[0])).sort((a, b) => a - b);

describe('face tracks in live mode (every face in view)', () => {
  it('starts tracking a face that comes into view and keeps following the first', () => {
    const tracks = new FaceTracks([]);
    expect(lefts(tracks.updateAll([face(0, 0)], 0, 2))).toEqual([0]);
    expect(lefts(tracks.updateAll([face(300, 0), face(2, 0)], 0.1, 2))).toHaveLength(2);
    expect(tracks.count).toBe(2);
    expect(tracks.updateAll([face(300, 0), face(4, 0)], 0.1, 2)).toHaveLength(2);
    expect(tracks.count).toBe(2);
  });

  it('smooths a still face that jitters, as the chosen-face tracking does', () => {
    const tracks = new FaceTracks([]);
    const jitter = (frame: number) => (i: number) => ((i * 7919 + frame * 104729) % 11) - 5;
    const spread: number[] = [];
    for (let frame = 0; frame < 20; frame++) {
      const [shown] = tracks.updateAll([face(100, 100, jitter(frame))], frame === 0 ? 0 : 1 / 30, 2);
      if (frame >= 10) spread.push(shown!.mesh[0]! - 100);
    }
    const raw = Array.from({ length: 10 }, (_, k) => jitter(k + 10)(0));
    const range = (values: number[]) => Math.max(...values) - Math.min(...values);
    expect(range(spread)).toBeLessThan(range(raw) / 2);
  });

  it('forgets a face unseen for longer than the limit', () => {
    const tracks = new FaceTracks([]);
    tracks.updateAll([face(0, 0), face(300, 0)], 0, 2);
    tracks.updateAll([face(0, 0)], 1, 2);
    expect(tracks.count).toBe(2);
    tracks.updateAll([face(0, 0)], 1.5, 2);
    expect(tracks.count).toBe(1);
    expect(tracks.updateAll([], 0.1, 2)).toEqual([]);
  });
});
