import { describe, expect, test } from 'vitest';
import { matchFaces, mappingSources } from '../../src/workers/engine/mapping';

const unit = (...values: number[]) => {
  const norm = Math.hypot(...values);
  return Float32Array.from(values, (v) => v / norm);
};

describe('matching faces to references by likeness', () => {
  const alice = unit(1, 0, 0);
  const bob = unit(0, 1, 0);

  test('each face gets the reference it is most like, when at least the threshold', () => {
    const faces = [unit(0.9, 0.2, 0.1), unit(0.1, 1, 0.3), unit(0, 0, 1)];
    const matches = matchFaces(faces, [alice, bob], 0.6);
    expect(matches.map((m) => m.pair)).toEqual([0, 1, null]);
    expect(matches[0]!.similarity).toBeCloseTo(0.9 / Math.hypot(0.9, 0.2, 0.1), 5);
    expect(matches[2]!.similarity).toBe(0);
  });

  test('a higher threshold leaves a less similar face as it was', () => {
    const matches = matchFaces([unit(0.7, 0.7, 0)], [alice], 0.8);
    expect(matches[0]!.pair).toBeNull();
    expect(matches[0]!.similarity).toBeCloseTo(Math.SQRT1_2, 5);
  });

  test('pairs sharing a source face share its index', () => {
    const ref = (face: number) => ({ imageId: 't', face });
    const { sources, ofPair } = mappingSources({
      pairs: [
        { source: { imageId: 's', face: 1 }, reference: ref(0) },
        { source: { imageId: 'x', face: 0 }, reference: ref(1) },
        { source: { imageId: 's', face: 1 }, reference: ref(2) },
      ],
      threshold: 0.5,
    });
    expect(sources).toEqual([
      { imageId: 's', face: 1 },
      { imageId: 'x', face: 0 },
    ]);
    expect(ofPair).toEqual([0, 1, 0]);
  });
});
