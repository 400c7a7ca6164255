import { describe, expect, it } from 'vitest';
import {
  arcfaceInputTensor,
  averageIdentity,
  l2Normalize,
  latentFromEmbedding,
} from '../../src/workers/neural/latent';

function expectClose(actual: ArrayLike<number>, expected: readonly number[], tolerance = 1e-6): void {
  expect(actual.length).toBe(expected.length);
  expected.forEach((v, i) =>
    expect(Math.abs((actual[i] as number) - v), `index ${i}`).toBeLessThanOrEqual(tolerance),
  );
}

describe('l2Normalize', () => {
  it('divides by the Euclidean norm', () => {
    expectClose(l2Normalize([3, 4]), [0.6, 0.8]);
    expectClose(l2Normalize([0, -2, 0]), [0, -1, 0]);
  });

  it('rejects the zero vector', () => {
    expect(() => l2Normalize([0, 0])).toThrow(RangeError);
  });
});

describe('latentFromEmbedding', () => {
  it('with emap = identity is the normalised embedding', () => {
    expectClose(
      latentFromEmbedding([3, 4, 0], Float32Array.from([1, 0, 0, 0, 1, 0, 0, 0, 1])),
      [0.6, 0.8, 0],
    );
    const embedding = Float32Array.from({ length: 512 }, (_, i) => Math.sin(i) + 0.1);
    const identity = new Float32Array(512 * 512);
    for (let i = 0; i < 512; i++) identity[i * 512 + i] = 1;
    expectClose(latentFromEmbedding(embedding, identity), Array.from(l2Normalize(embedding)));
  });

  it('multiplies the embedding as a row vector on the left of emap', () => {
    // P[i][j] = 1 where j = i + 1 (mod 3): (e . P)[j] = e[j - 1]. With P on the left it would be e[j + 1].
    const shift = Float32Array.from([0, 1, 0, 0, 0, 1, 1, 0, 0]);
    expectClose(latentFromEmbedding([1, 2, 2], shift), [2 / 3, 1 / 3, 2 / 3]);
    // [1, 0] . [[1, 1], [0, 1]] = [1, 1]; the other side would give [1, 0].
    expectClose(latentFromEmbedding([5, 0], Float32Array.from([1, 1, 0, 1])), [Math.SQRT1_2, Math.SQRT1_2]);
  });

  it('normalises after the product (diagonal emap) and ignores the embedding scale', () => {
    const diagonal = Float32Array.from([2, 0, 0, 0, 1, 0, 0, 0, 0]);
    const expected = [2 / Math.sqrt(5), 1 / Math.sqrt(5), 0];
    expectClose(latentFromEmbedding([1, 1, 1], diagonal), expected);
    expectClose(latentFromEmbedding([7, 7, 7], diagonal), expected);
  });

  it('rejects an emap of the wrong size', () => {
    expect(() => latentFromEmbedding([1, 0], new Float32Array(3))).toThrow(RangeError);
  });
});

describe('averageIdentity', () => {
  it('averages normalised embeddings and normalises the mean', () => {
    // Normalised: [1, 0] and [0, 1]; a raw mean [1, 2.5] would point elsewhere.
    expectClose(
      averageIdentity([
        [2, 0],
        [0, 5],
      ]),
      [Math.SQRT1_2, Math.SQRT1_2],
    );
    expectClose(averageIdentity([[3, 4]]), [0.6, 0.8]);
    expectClose(
      averageIdentity([
        [1, 0, 0],
        [0, 1, 0],
        [0, 0, 4],
      ]),
      [1 / Math.sqrt(3), 1 / Math.sqrt(3), 1 / Math.sqrt(3)],
    );
  });

  it('rejects no embeddings or mixed lengths', () => {
    expect(() => averageIdentity([])).toThrow(RangeError);
    expect(() =>
      averageIdentity([
        [1, 0],
        [1, 0, 0],
      ]),
    ).toThrow(RangeError);
  });
});

describe('arcfaceInputTensor', () => {
  it('is planar RGB 3x112x112 with (x - 127.5) / 127.5', () => {
    const rgba = new Uint8Array(112 * 112 * 4);
    rgba.set([255, 0, 64, 9], 0);
    rgba.set([51, 102, 204, 255], (5 * 112 + 3) * 4);
    const t = arcfaceInputTensor(rgba);
    const plane = 112 * 112;
    expect(t).toHaveLength(3 * plane);
    expectClose([t[0]!, t[plane]!, t[2 * plane]!], [1, -1, -63.5 / 127.5]);
    const p = 5 * 112 + 3;
    expectClose([t[p]!, t[plane + p]!, t[2 * plane + p]!], [-76.5 / 127.5, -25.5 / 127.5, 76.5 / 127.5]);
    expect(t[1]).toBe(-1);
  });

  it('rejects a crop of the wrong size', () => {
    expect(() => arcfaceInputTensor(new Uint8Array(128 * 128 * 4))).toThrow(RangeError);
  });
});
