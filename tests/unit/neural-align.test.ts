import { describe, expect, it } from 'vitest';
import { applyAffine, type Affine } from '../../src/gpu/affine';
import {
  ARCFACE_TEMPLATE_112,
  arcfaceTemplate,
  estimateSimilarity,
  fivePointsFromMesh,
} from '../../src/workers/neural/align';

/** Deterministic uniform numbers in [0, 1) (mulberry32). */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s + 0x6d2b79f5) | 0;
    let t = Math.imul(s ^ (s >>> 15), 1 | s);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    expect(Math.abs((actual[i] as number) - (expected[i] as number)), `index ${i}`).toBeLessThanOrEqual(
      tolerance,
    );
  }
}

function sumSquaredError(m: Affine, src: ArrayLike<number>, dst: ArrayLike<number>): number {
  const mapped = applyAffine(m, src);
  let sum = 0;
  for (let i = 0; i < dst.length; i++) sum += ((mapped[i] as number) - (dst[i] as number)) ** 2;
  return sum;
}

/**
 * Independent oracle: the linear least-squares fit of (a, b, tx, ty) in x' = a x - b y + tx,
 * y' = b x + a y + ty, through the 4x4 normal equations solved by Gaussian elimination.
 */
function normalEquationsFit(src: ArrayLike<number>, dst: ArrayLike<number>): Affine {
  const ata = Array.from({ length: 4 }, () => [0, 0, 0, 0]);
  const atb = [0, 0, 0, 0];
  for (let i = 0; i < src.length; i += 2) {
    const x = src[i] as number;
    const y = src[i + 1] as number;
    const rows: [number[], number][] = [
      [[x, -y, 1, 0], dst[i] as number],
      [[y, x, 0, 1], dst[i + 1] as number],
    ];
    for (const [row, rhs] of rows) {
      for (let r = 0; r < 4; r++) {
        atb[r]! += row[r]! * rhs;
        for (let c = 0; c < 4; c++) ata[r]![c]! += row[r]! * row[c]!;
      }
    }
  }
  for (let col = 0; col < 4; col++) {
    let pivot = col;
    for (let r = col + 1; r < 4; r++) if (Math.abs(ata[r]![col]!) > Math.abs(ata[pivot]![col]!)) pivot = r;
    [ata[col], ata[pivot]] = [ata[pivot]!, ata[col]!];
    [atb[col], atb[pivot]] = [atb[pivot]!, atb[col]!];
    for (let r = 0; r < 4; r++) {
      if (r === col) continue;
      const f = ata[r]![col]! / ata[col]![col]!;
      for (let c = 0; c < 4; c++) ata[r]![c]! -= f * ata[col]![c]!;
      atb[r]! -= f * atb[col]!;
    }
  }
  const [a, b, tx, ty] = atb.map((v, r) => v / ata[r]![r]!) as [number, number, number, number];
  return [a, -b, tx, b, a, ty];
}

describe('estimateSimilarity', () => {
  it('maps the ArcFace template to itself with the identity', () => {
    const identity = [1, 0, 0, 0, 1, 0];
    expectClose(estimateSimilarity(ARCFACE_TEMPLATE_112, ARCFACE_TEMPLATE_112).matrix, identity, 1e-9);
    expectClose(estimateSimilarity(arcfaceTemplate(128), arcfaceTemplate(128)).inverse, identity, 1e-9);
  });

  it('solves small exact cases', () => {
    // (0,0) -> (1,1) and (1,0) -> (1,2): the 90-degree rotation taking +x to +y, then (1, 1).
    expectClose(estimateSimilarity([0, 0, 1, 0], [1, 1, 1, 2]).matrix, [0, -1, 1, 1, 0, 1], 1e-12);
    // Scale 2 and translation (3, 4).
    expectClose(estimateSimilarity([0, 0, 1, 0, 0, 1], [3, 4, 5, 4, 3, 6]).matrix, [2, 0, 3, 0, 2, 4], 1e-12);
  });

  it('recovers random similarity transforms to 1e-4', () => {
    const rand = random(42);
    for (let trial = 0; trial < 50; trial++) {
      const scale = 0.1 + rand() * 10;
      const angle = (rand() * 2 - 1) * Math.PI;
      const a = scale * Math.cos(angle);
      const b = scale * Math.sin(angle);
      const truth: Affine = [a, -b, (rand() - 0.5) * 1000, b, a, (rand() - 0.5) * 1000];
      const n = 5 + Math.floor(rand() * 20);
      const src = Array.from({ length: 2 * n }, () => rand() * 640);
      const { matrix } = estimateSimilarity(src, applyAffine(truth, src));
      expectClose(matrix, truth, 1e-4);
    }
    const truth: Affine = [0.5, -2, 17, 2, 0.5, -3];
    expectClose(
      estimateSimilarity(ARCFACE_TEMPLATE_112, applyAffine(truth, ARCFACE_TEMPLATE_112)).matrix,
      truth,
      1e-9,
    );
  });

  it('gives the least-squares answer for a non-similarity (anisotropic) input', () => {
    // Square (+-1, +-1) stretched to (2x, y): minimising sum (2x - a x)^2 + (y - a y)^2 over a gives a = 1.5.
    const square = [-1, -1, 1, -1, 1, 1, -1, 1];
    const stretched = [-2, -1, 2, -1, 2, 1, -2, 1];
    expectClose(estimateSimilarity(square, stretched).matrix, [1.5, 0, 0, 0, 1.5, 0], 1e-12);
  });

  it('matches the normal-equations fit on random affine and mirrored inputs, and no nudge lowers the error', () => {
    const rand = random(7);
    for (let trial = 0; trial < 20; trial++) {
      const n = 5 + Math.floor(rand() * 10);
      const src = Array.from({ length: 2 * n }, () => rand() * 200);
      const mirror = trial % 2 === 0 ? -1 : 1;
      const general: Affine = [
        mirror * (0.5 + rand()),
        rand() - 0.5,
        rand() * 50,
        rand() - 0.5,
        0.5 + rand(),
        rand() * 50,
      ];
      const dst = Array.from(applyAffine(general, src), (v) => v + (rand() - 0.5) * 4);
      const { matrix } = estimateSimilarity(src, dst);
      const oracle = normalEquationsFit(src, dst);
      expectClose(matrix, oracle, 1e-6);
      const best = sumSquaredError(matrix, src, dst);
      const [a, , tx, b, , ty] = matrix;
      for (const [da, db, dtx, dty] of [
        [1e-3, 0, 0, 0],
        [-1e-3, 0, 0, 0],
        [0, 1e-3, 0, 0],
        [0, -1e-3, 0, 0],
        [0, 0, 1e-2, 0],
        [0, 0, 0, -1e-2],
      ] as const) {
        const nudged: Affine = [a + da, -(b + db), tx + dtx, b + db, a + da, ty + dty];
        expect(sumSquaredError(nudged, src, dst)).toBeGreaterThan(best);
      }
    }
  });

  it('returns an inverse that composes to the identity', () => {
    const src = [10, 20, 200, 40, 120, 300, 30, 250, 90, 90];
    const dst = [5, 7, 99, 1, 60, 140, 12, 130, 44, 52];
    const { matrix, inverse } = estimateSimilarity(src, dst);
    const corners = [0, 0, 1, 0, 0, 1];
    // inverse(matrix(p)) = p for the origin and the unit vectors, hence for every point.
    const composed = applyAffine(inverse, applyAffine(matrix, corners));
    expectClose(composed, corners, 1e-12);
    expectClose(applyAffine(matrix, applyAffine(inverse, dst)), dst, 1e-9);
  });

  it('rejects degenerate or mismatched input', () => {
    expect(() => estimateSimilarity([1, 1, 1, 1], [0, 0, 1, 1])).toThrow(RangeError);
    expect(() => estimateSimilarity([0, 0, 1, 1], [0, 0])).toThrow(RangeError);
    expect(() => estimateSimilarity([0, 0], [0, 0])).toThrow(RangeError);
  });
});

describe('arcfaceTemplate', () => {
  it('is the 112 template at 112, scaled at multiples of 112', () => {
    expect(Array.from(arcfaceTemplate(112))).toEqual(ARCFACE_TEMPLATE_112);
    expectClose(
      arcfaceTemplate(224),
      [76.5892, 103.3926, 147.0636, 103.0028, 112.0504, 143.4732, 83.0986, 184.731, 141.4598, 184.4082],
      1e-9,
    );
  });

  it('adds 8 * ratio to every x at multiples of 128', () => {
    expectClose(
      arcfaceTemplate(128),
      [46.2946, 51.6963, 81.5318, 51.5014, 64.0252, 71.7366, 49.5493, 92.3655, 78.7299, 92.2041],
      1e-9,
    );
    // 256: ratio 2, x + 16.
    expectClose(arcfaceTemplate(256).subarray(0, 4), [92.5892, 103.3926, 163.0636, 103.0028], 1e-9);
  });

  it('rejects other sizes', () => {
    expect(() => arcfaceTemplate(100)).toThrow(RangeError);
    expect(() => arcfaceTemplate(0)).toThrow(RangeError);
  });
});

describe('fivePointsFromMesh', () => {
  const rightEye = [33, 246, 161, 160, 159, 158, 157, 173, 133, 155, 154, 153, 145, 144, 163, 7];
  const leftEye = [263, 466, 388, 387, 386, 385, 384, 398, 362, 382, 381, 380, 374, 373, 390, 249];

  function mesh(): Float32Array {
    const m = new Float32Array(468 * 2).fill(1000);
    const put = (index: number, x: number, y: number): void => {
      m[2 * index] = x;
      m[2 * index + 1] = y;
    };
    rightEye.forEach((index, k) => put(index, k % 2 === 0 ? 28 : 32, k % 2 === 0 ? 40 : 42));
    leftEye.forEach((index, k) => put(index, k % 2 === 0 ? 70 : 74, 40));
    put(1, 50, 60);
    put(61, 35, 80);
    put(291, 65, 80);
    return m;
  }

  it('takes eye-contour means, nose tip 1 and mouth corners 61 and 291, image-left first', () => {
    expect(Array.from(fivePointsFromMesh(mesh()))).toEqual([30, 41, 72, 40, 50, 60, 35, 80, 65, 80]);
  });

  it('is ordered like the template, so an upright face aligns without a half turn', () => {
    const { matrix } = estimateSimilarity(fivePointsFromMesh(mesh()), ARCFACE_TEMPLATE_112);
    expect(matrix[0]).toBeGreaterThan(0);
    expect(Math.abs(matrix[3])).toBeLessThan(0.1 * matrix[0]);
  });

  it('rejects a short mesh', () => {
    expect(() => fivePointsFromMesh(new Float32Array(100))).toThrow(RangeError);
  });
});
