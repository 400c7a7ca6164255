import { describe, expect, it } from 'vitest';
import type { DetectedFace } from '../../src/workers/engine/faces';
import type { SwapFrame } from '../../src/workers/animation/frame-swapper';
import { LikenessChoice } from '../../src/workers/animation/frame-choice';

/** A face whose 468 mesh points fill a 100-px square at (x, y). */
function face(x: number, y: number): DetectedFace {
  const mesh = new Float32Array(468 * 2);
  for (let i = 0; i < 468; i++) {
    mesh[i * 2] = x + ((i % 22) / 21) * 100;
    mesh[i * 2 + 1] = y + (Math.floor(i / 22) / 21) * 100;
  }
  return { box: [x, y, 100, 100], score: 1, rollDeg: 0, mesh };
}

const alice = Float32Array.of(1, 0, 0);
const bob = Float32Array.of(0, 1, 0);
const carol = Float32Array.of(0, 0, 1);

/**
 * A frame whose faces are described by who stands where: left of x = 200 is Alice, right of 400 is
 * Carol, between is Bob, unless `who` says otherwise. Counts the faces it describes.
 */
function frame(described: { count: number }, who?: (f: DetectedFace) => Float32Array): SwapFrame {
  const person = who ?? ((f: DetectedFace) => (f.box[0] < 200 ? alice : f.box[0] > 400 ? carol : bob));
  return {
    describe: (faces: readonly DetectedFace[]) => {
      described.count += faces.length;
      return Promise.resolve(faces.map(person));
    },
  } as unknown as SwapFrame;
}

describe('choosing faces by likeness in frame jobs', () => {
  it("swaps the faces like a reference with that reference's source, and leaves the others", async () => {
    const choice = new LikenessChoice([alice, carol], [1, 0], 0.6, 2);
    const described = { count: 0 };
    const chosen = await choice.next(frame(described), [face(0, 0), face(300, 0), face(500, 0)], 0);
    expect(chosen.faces.map((f) => f.box[0])).toEqual([0, 500]);
    expect(chosen.sources).toEqual([1, 0]);
    expect(choice.matches().map((m) => m.pair)).toEqual([0, null, 1]);
  });

  it('decides each face once, where it first shows: later frames neither describe it again nor flip it', async () => {
    const choice = new LikenessChoice([alice], [0], 0.6, 2);
    const described = { count: 0 };
    await choice.next(frame(described), [face(0, 0)], 0);
    // Alice walks right, where this frame would take her for Bob: her track keeps its decision.
    for (let x = 10; x <= 300; x += 10) {
      const chosen = await choice.next(
        frame(described, () => bob),
        [face(x, 0)],
        1 / 30,
      );
      expect(chosen.faces).toHaveLength(1);
    }
    expect(described.count).toBe(1);
  });

  it('a face that first shows later is decided then', async () => {
    const choice = new LikenessChoice([bob], [0], 0.6, 2);
    const described = { count: 0 };
    expect((await choice.next(frame(described), [face(0, 0)], 0)).faces).toHaveLength(0);
    const later = await choice.next(frame(described), [face(0, 0), face(300, 0)], 0.1);
    expect(later.faces.map((f) => Math.round(f.box[0]))).toEqual([300]);
    expect(choice.count).toBe(2);
    expect(described.count).toBe(2);
  });
});
