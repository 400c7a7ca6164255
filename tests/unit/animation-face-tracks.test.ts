import { describe, expect, it } from 'vitest';
import type { DetectedFace } from '../../src/workers/engine/faces';
import { FaceTracks, OneEuroFilter } from '../../src/workers/animation/face-tracks';

/** A face whose 468 mesh points fill a `size` square at (x, y), each point offset by `noise(i)`. */
function face(x: number, y: number, size = 100, noise: (i: number) => number = () => 0): DetectedFace {
  const mesh = new Float32Array(468 * 2);
  for (let i = 0; i < 468; i++) {
    mesh[i * 2] = x + ((i % 22) / 21) * size + noise(i);
    mesh[i * 2 + 1] = y + (Math.floor(i / 22) / 21) * size + noise(i + 1000);
  }
  return { box: [x, y, size, size], score: 1, rollDeg: 0, mesh };
}

const centreX = (f: DetectedFace | null | undefined) => (f ? f.box[0] + f.box[2] / 2 : NaN);

describe('face tracks', () => {
  it('keeps each chosen face on its track whatever order the detector lists them in', () => {
    const tracks = new FaceTracks([face(0, 0), face(300, 0)]);
    tracks.update([face(0, 0), face(300, 0)], 0.1);
    const moved = tracks.update([face(310, 5), face(8, 4)], 0.1);
    expect(centreX(moved[0])).toBeLessThan(100);
    expect(centreX(moved[1])).toBeGreaterThan(300);
  });

  it('follows only the faces chosen in the first frame', () => {
    const tracks = new FaceTracks([face(300, 0)]);
    const frame = tracks.update([face(0, 0), face(300, 0)], 0.1);
    expect(frame).toHaveLength(1);
    expect(centreX(frame[0])).toBe(350);
  });

  it("gives each face its track's id and the seconds since the track last saw it", () => {
    const tracks = new FaceTracks([face(0, 0), face(300, 0)]);
    const first = tracks.update([face(0, 0), face(300, 0)], 0);
    expect(first.map((f) => f?.track?.dt)).toEqual([0, 0]);
    const [a, b] = first.map((f) => f!.track!.id);
    expect(a).not.toBe(b);
    tracks.update([face(2, 0)], 0.1);
    const later = tracks.update([face(300, 2), face(4, 0)], 0.1);
    expect(later.map((f) => f?.track?.id)).toEqual([a, b]);
    expect(later[0]!.track!.dt).toBeCloseTo(0.1, 9);
    expect(later[1]!.track!.dt).toBeCloseTo(0.2, 9);
    expect(new FaceTracks([face(0, 0)]).update([face(0, 0)], 0)[0]!.track!.id).not.toBe(a);
  });

  it('reports a lost face as null and picks it up again where it was', () => {
    const tracks = new FaceTracks([face(100, 100)]);
    tracks.update([face(100, 100)], 0.1);
    expect(tracks.update([face(600, 400)], 0.1)).toEqual([null]);
    expect(tracks.update([], 0.1)).toEqual([null]);
    expect(tracks.update([face(104, 102)], 0.1)[0]).not.toBeNull();
  });

  it('smooths the jitter of a still face and follows a moving one closely', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5) * 4;
    const still = new FaceTracks([face(100, 100)]);
    let rawJitter = 0;
    let smoothJitter = 0;
    let previousRaw = face(100, 100).mesh;
    let previousSmooth = previousRaw;
    still.update([face(100, 100)], 0.1);
    for (let frame = 0; frame < 30; frame++) {
      const noisy = face(100, 100, 100, random);
      const smooth = still.update([noisy], 0.1)[0]!.mesh;
      for (let i = 0; i < noisy.mesh.length; i++) {
        rawJitter += Math.abs(noisy.mesh[i]! - previousRaw[i]!);
        smoothJitter += Math.abs(smooth[i]! - previousSmooth[i]!);
      }
      previousRaw = noisy.mesh;
      previousSmooth = smooth;
    }
    expect(smoothJitter).toBeLessThan(rawJitter * 0.5);

    const moving = new FaceTracks([face(0, 100)]);
    let last: DetectedFace | null = null;
    for (let frame = 0; frame <= 10; frame++) last = moving.update([face(frame * 6, 100)], 0.1)[0]!;
    expect(Math.abs(last!.box[0] - 60)).toBeLessThan(3);
  });

  it('One Euro filter: the first value passes unchanged', () => {
    const values = Float32Array.of(1, 2, 3);
    expect(Array.from(new OneEuroFilter().filter(values, 0.1))).toEqual([1, 2, 3]);
  });
});
