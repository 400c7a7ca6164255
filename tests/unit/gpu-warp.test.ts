import { describe, expect, it } from 'vitest';
import { sampleBilinear } from '../../src/gpu/reference/bilinear';
import { warpMesh } from '../../src/gpu/reference/warp';
import type { RgbaImage } from '../../src/gpu/types';
import type { WarpPoints } from '../../src/gpu/warp-points';
import { gridFace, gridTopology, syntheticImage } from '../browser/kernels/synthetic-face';

/** Two triangles covering the rectangle [x0, x1] x [y0, y1]. */
function quad(x0: number, y0: number, x1: number, y1: number): Float32Array {
  return Float32Array.from([x0, y0, x1, y0, x1, y1, x0, y1]);
}
const quadTriangles = Uint32Array.from([0, 1, 2, 0, 2, 3]);

/** Warp points that sample the source's own side everywhere. */
function unmirrored(source: Float32Array, target: Float32Array): WarpPoints {
  return { target, source, mirrored: source, shown: new Float32Array(source.length / 2).fill(1) };
}

function gradient(width: number, height: number): RgbaImage {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) data.set([x * 4, y * 4, 100, 255], (y * width + x) * 4);
  }
  return { width, height, data };
}

describe('bilinear sampling', () => {
  it('returns texels exactly at pixel centres and interpolates between them', () => {
    const image = gradient(16, 16);
    const out = new Float32Array(3);
    sampleBilinear(image, 3.5, 7.5, out, 0);
    expect(Array.from(out).map((v) => Math.round(v * 255 * 1000) / 1000)).toEqual([12, 28, 100]);
    sampleBilinear(image, 4, 7.5, out, 0);
    expect(out[0]! * 255).toBeCloseTo(14, 4);
  });

  it('clamps to the edges', () => {
    const image = gradient(16, 16);
    const out = new Float32Array(3);
    sampleBilinear(image, -20, 100, out, 0);
    expect(out[0]! * 255).toBeCloseTo(0, 5);
    expect(out[1]! * 255).toBeCloseTo(60, 5);
  });
});

describe('warpMesh (barycentric raster)', () => {
  it('reproduces the source where source and target meshes are the same', () => {
    const image = syntheticImage(64, 64, 1);
    const points = gridFace(8, 32, 32, 24, 28, 0.3);
    const roi = { x: 0, y: 0, width: 64, height: 64 };
    const warp = warpMesh(image, unmirrored(points, points), gridTopology(8).triangles, roi);
    let covered = 0;
    let maxDiff = 0;
    for (let i = 0; i < 64 * 64; i++) {
      if (warp[i * 4 + 3] !== 1) continue;
      covered++;
      for (let c = 0; c < 3; c++)
        maxDiff = Math.max(maxDiff, Math.abs(warp[i * 4 + c]! * 255 - image.data[i * 4 + c]!));
    }
    expect(covered).toBeGreaterThan(1500);
    expect(maxDiff).toBeLessThan(1e-3);
  });

  it('covers exactly the pixel centres inside the mesh, without gaps on shared edges', () => {
    const warp = warpMesh(
      gradient(32, 32),
      unmirrored(quad(0, 0, 32, 32), quad(4, 6, 20, 30)),
      quadTriangles,
      {
        x: 2,
        y: 4,
        width: 20,
        height: 28,
      },
    );
    for (let y = 0; y < 28; y++) {
      for (let x = 0; x < 20; x++) {
        const inside = x + 2 >= 4 && x + 2 < 20 && y + 4 >= 6 && y + 4 < 30;
        expect(warp[(y * 20 + x) * 4 + 3], `pixel ${x},${y}`).toBe(inside ? 1 : 0);
      }
    }
  });

  it('applies a known affine mapping', () => {
    // Target pixel centre (X, Y) maps to source (X/2 + 1, Y/2 + 3); the gradient is linear in x and y.
    const source = gradient(40, 40);
    const warp = warpMesh(source, unmirrored(quad(1, 3, 31, 33), quad(0, 0, 60, 60)), quadTriangles, {
      x: 0,
      y: 0,
      width: 60,
      height: 60,
    });
    let maxDiff = 0;
    for (let y = 0; y < 60; y++) {
      for (let x = 0; x < 60; x++) {
        const u = (x + 0.5) / 2 + 1;
        const v = (y + 0.5) / 2 + 3;
        maxDiff = Math.max(
          maxDiff,
          Math.abs(warp[(y * 60 + x) * 4]! * 255 - (u - 0.5) * 4),
          Math.abs(warp[(y * 60 + x) * 4 + 1]! * 255 - (v - 0.5) * 4),
        );
      }
    }
    expect(maxDiff).toBeLessThan(1e-3);
  });

  it('skips degenerate triangles', () => {
    const points = Float32Array.from([1, 1, 10, 10, 20, 20]);
    const warp = warpMesh(gradient(32, 32), unmirrored(points, points), Uint32Array.from([0, 1, 2]), {
      x: 0,
      y: 0,
      width: 32,
      height: 32,
    });
    expect(warp.every((v) => v === 0)).toBe(true);
  });
});
