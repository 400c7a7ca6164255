import { describe, expect, it } from 'vitest';
import { alignedCrop, cropReference, type CropParams } from '../../src/gpu/reference/neural-crop';
import type { RgbaImage } from '../../src/gpu/types';
import {
  ARCFACE_INPUT_SIZE,
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

/** The embedder input as neural-swap crops it (alignedCrop: scale 1 / 127.5, offset -1, replicate). */
const arcfaceCrop = (toImage: CropParams['toImage']): CropParams =>
  alignedCrop(toImage, ARCFACE_INPUT_SIZE, 1 / 127.5, -1);

describe('ArcFace input (the neural crop)', () => {
  it('is planar RGB 3x112x112 with (x - 127.5) / 127.5 from an aligned 112x112 image', () => {
    const data = new Uint8ClampedArray(112 * 112 * 4);
    data.set([255, 0, 64, 9], 0);
    data.set([51, 102, 204, 255], (5 * 112 + 3) * 4);
    const aligned: RgbaImage = { width: 112, height: 112, data };
    const t = cropReference(aligned, arcfaceCrop([1, 0, 0, 0, 1, 0]));
    const plane = 112 * 112;
    expect(t).toHaveLength(3 * plane);
    // Alpha (9) is ignored; R, G, B land in planes 0, 1, 2.
    expectClose([t[0]!, t[plane]!, t[2 * plane]!], [1, -1, -63.5 / 127.5]);
    const p = 5 * 112 + 3;
    expectClose([t[p]!, t[plane + p]!, t[2 * plane + p]!], [-76.5 / 127.5, -25.5 / 127.5, 76.5 / 127.5]);
    expect(t[1]).toBe(-1);
  });

  it('reads the aligned face through toImage and replicates the edge outside the photo', () => {
    // A 2x1 photo: (x, y) -> (x - 110, y) puts the photo's two pixels at crop columns 110 and 111;
    // every other column (and every row below 0) replicates the nearer edge pixel.
    const photo: RgbaImage = {
      width: 2,
      height: 1,
      data: Uint8ClampedArray.from([0, 255, 128, 0, 255, 0, 51, 0]),
    };
    const t = cropReference(photo, arcfaceCrop([1, 0, -110, 0, 1, 0]));
    const plane = 112 * 112;
    const rgb = (x: number, y: number) => [0, 1, 2].map((c) => t[c * plane + y * 112 + x]!);
    expectClose(rgb(0, 0), [-1, 1, 0.5 / 127.5]);
    expectClose(rgb(110, 50), [-1, 1, 0.5 / 127.5]);
    expectClose(rgb(111, 0), [1, -1, -76.5 / 127.5]);
    expectClose(rgb(111, 111), [1, -1, -76.5 / 127.5]);
  });
});
