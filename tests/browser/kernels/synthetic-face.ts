import type { BlendOptions, FacePair, MeshTopology, RgbaImage } from '../../../src/gpu/types';

/**
 * A hand-made face mesh for tests: an (n+1)x(n+1) grid of points, two triangles per cell, mapped
 * onto an ellipse. The oval is the grid's boundary; the mouth and eyes are loops of grid points
 * around small blocks of cells. n must be at least 8.
 */
export function gridTopology(n: number): MeshTopology {
  const index = (col: number, row: number) => row * (n + 1) + col;
  const triangles: number[] = [];
  for (let row = 0; row < n; row++) {
    for (let col = 0; col < n; col++) {
      triangles.push(index(col, row), index(col + 1, row), index(col + 1, row + 1));
      triangles.push(index(col, row), index(col + 1, row + 1), index(col, row + 1));
    }
  }
  const loop = (c0: number, r0: number, c1: number, r1: number) => {
    const points: number[] = [];
    for (let c = c0; c < c1; c++) points.push(index(c, r0));
    for (let r = r0; r < r1; r++) points.push(index(c1, r));
    for (let c = c1; c > c0; c--) points.push(index(c, r1));
    for (let r = r1; r > r0; r--) points.push(index(c0, r));
    return points;
  };
  const at = (fraction: number) => Math.round(n * fraction);
  const eyeRows = [at(1 / 4), at(1 / 4) + Math.max(1, at(1 / 8))] as const;
  const mouth = [at(3 / 8), at(5 / 8), n - at(3 / 8), at(3 / 4)] as const;
  return {
    triangles: Uint32Array.from(triangles),
    oval: loop(0, 0, n, n),
    mouth: loop(...mouth),
    leftEye: loop(at(1 / 8), eyeRows[0], at(3 / 8), eyeRows[1]),
    rightEye: loop(n - at(3 / 8), eyeRows[0], n - at(1 / 8), eyeRows[1]),
    lips: loop(mouth[0] - 1, mouth[1], mouth[2] + 1, mouth[3]),
    // Cheeks, forehead, nose and chin: grid points off the eyes and lips.
    skin: [
      [at(1 / 8), at(1 / 2)],
      [n - at(1 / 8), at(1 / 2)],
      [at(1 / 8), at(5 / 8)],
      [n - at(1 / 8), at(5 / 8)],
      [at(1 / 2), at(1 / 8)],
      [at(3 / 8), at(1 / 8)],
      [n - at(3 / 8), at(1 / 8)],
      [at(1 / 2), at(7 / 8)],
      [at(1 / 2), at(1 / 2)],
    ].map(([col, row]) => index(col!, row!)),
    // The grid's columns mirrored left to right.
    mirror: Array.from({ length: (n + 1) * (n + 1) }, (_, i) =>
      index(n - (i % (n + 1)), Math.floor(i / (n + 1))),
    ),
  };
}

/** Points of the grid mesh mapped onto an ellipse (square-to-disc mapping), rotated by `angle`. */
export function gridFace(n: number, cx: number, cy: number, rx: number, ry: number, angle = 0): Float32Array {
  const points = new Float32Array((n + 1) * (n + 1) * 2);
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  for (let row = 0; row <= n; row++) {
    for (let col = 0; col <= n; col++) {
      const u = (col / n) * 2 - 1;
      const v = (row / n) * 2 - 1;
      const x = u * Math.sqrt(1 - (v * v) / 2) * rx;
      const y = v * Math.sqrt(1 - (u * u) / 2) * ry;
      const i = (row * (n + 1) + col) * 2;
      points[i] = cx + x * cos - y * sin;
      points[i + 1] = cy + x * sin + y * cos;
    }
  }
  return points;
}

/**
 * A grid face turned away on its left: the points left of the centre line are pulled towards it to
 * `1 - turn` of their distance, as a face turned to one side foreshortens its far half.
 */
export function turnedGridFace(
  n: number,
  cx: number,
  cy: number,
  rx: number,
  ry: number,
  turn: number,
): Float32Array {
  const points = gridFace(n, cx, cy, rx, ry);
  for (let i = 0; i < points.length; i += 2) {
    if (points[i]! < cx) points[i] = cx + (points[i]! - cx) * (1 - turn);
  }
  return points;
}

/** A deterministic textured image: smooth colour gradients plus a ripple, alpha 255. */
export function syntheticImage(width: number, height: number, seed: number): RgbaImage {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      const ripple = Math.sin((x * (0.3 + 0.05 * seed) + y * 0.2) * 0.9) * 30;
      data[i] = 40 + (x * 120) / width + seed * 15 + ripple;
      data[i + 1] = 30 + (y * 170) / height + ripple * 0.5;
      data[i + 2] = 60 + (((x + y) * 90) / (width + height)) * (1 + seed * 0.3) - ripple * 0.7;
      data[i + 3] = 255;
    }
  }
  return { width, height, data };
}

/**
 * The swap the kernel checks run: a source photo, a target, a face large enough for a colour grid
 * coarser than its ROI (from a source turned to one side) and one overlapping it, clipped by the
 * top; mouth and eyes kept.
 */
export function swapFixture() {
  const faces: FacePair[] = [
    {
      // A source turned away on its left: that half is filled from the mirrored right half.
      source: turnedGridFace(8, 40, 42, 26, 30, 0.85),
      target: gridFace(8, 84, 84, 56, 62, 0.15),
      // A hand over the lower right of the face, kept from the target.
      hands: [new Float32Array([96, 96, 118, 90, 124, 112, 100, 120])],
    },
    { source: gridFace(8, 40, 42, 26, 30), target: gridFace(8, 120, 16, 26, 26, -0.3) },
  ];
  const options: BlendOptions = { strength: 0.9, keepMouth: true, keepEyes: true, feather: 0.08 };
  return {
    topology: gridTopology(8),
    source: syntheticImage(80, 80, 2),
    target: syntheticImage(180, 160, 0),
    faces,
    options,
  };
}
