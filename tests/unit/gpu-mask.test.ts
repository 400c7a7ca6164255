import { describe, expect, it } from 'vitest';
import { faceGeometry } from '../../src/gpu/face-geometry';
import { faceMask, MIN_ALPHA } from '../../src/gpu/reference/mask';
import { faceKeep, skinModel } from '../../src/gpu/reference/occlusion';
import { ramp, signedInsideDistance } from '../../src/gpu/reference/polygon';
import { warpMesh } from '../../src/gpu/reference/warp';
import { warpPoints } from '../../src/gpu/warp-points';
import type { BlendOptions } from '../../src/gpu/types';
import { gridFace, gridTopology, syntheticImage } from '../browser/kernels/synthetic-face';

const square = Float32Array.from([0, 0, 10, 0, 10, 10, 0, 10]);
// A "U": concave, so the even-odd test and nearest-segment search both matter.
const u = Float32Array.from([0, 0, 3, 0, 3, 7, 7, 7, 7, 0, 10, 0, 10, 10, 0, 10]);

describe('signedInsideDistance', () => {
  it('is the distance to the nearest edge, positive inside', () => {
    expect(signedInsideDistance(5, 5, square, 0, 4)).toBeCloseTo(5, 6);
    expect(signedInsideDistance(2, 5, square, 0, 4)).toBeCloseTo(2, 6);
    expect(signedInsideDistance(13, 14, square, 0, 4)).toBeCloseTo(-5, 6);
    expect(signedInsideDistance(5, -2, square, 0, 4)).toBeCloseTo(-2, 6);
  });

  it('handles concave polygons and offsets into a shared point list', () => {
    const points = new Float32Array([99, 99, ...u]);
    expect(signedInsideDistance(5, 3, points, 1, 8)).toBeCloseTo(-2, 6);
    expect(signedInsideDistance(5, 8.5, points, 1, 8)).toBeCloseTo(1.5, 6);
    expect(signedInsideDistance(1.5, 3, points, 1, 8)).toBeCloseTo(1.5, 6);
  });
});

describe('ramp', () => {
  it('is a smoothstep from 0 to edge', () => {
    expect(ramp(4, -1)).toBe(0);
    expect(ramp(4, 0)).toBe(0);
    expect(ramp(4, 2)).toBeCloseTo(0.5, 9);
    expect(ramp(4, 1)).toBeCloseTo(0.15625, 9);
    expect(ramp(4, 9)).toBe(1);
    expect(ramp(0, 0.1)).toBe(1);
  });
});

describe('faceMask', () => {
  const topology = gridTopology(8);
  const points = gridFace(8, 40, 40, 30, 34);
  const options: BlendOptions = {
    strength: 1,
    keepMouth: false,
    keepEyes: false,
    feather: 0.1,
    occlusion: false,
  };
  const source = syntheticImage(80, 80, 0);

  function mask(opts: BlendOptions) {
    const geometry = faceGeometry({ source: points, target: points }, topology, opts, 80, 80)!;
    const warp = warpMesh(
      source,
      warpPoints({ source: points, target: points }, topology),
      topology.triangles,
      geometry.roi,
    );
    const keep = faceKeep(source, geometry, skinModel(source, geometry));
    return { geometry, warp, alpha: faceMask(warp, geometry), keep };
  }

  it('is 0 outside the oval, 1 deep inside, and rises over the feather width', () => {
    const { geometry, alpha } = mask(options);
    const { roi, featherPx } = geometry;
    expect(featherPx).toBeCloseTo(0.1 * 68, 0);
    const at = (x: number, y: number) => alpha[(y - roi.y) * roi.width + (x - roi.x)]!;
    expect(at(40, 40)).toBe(1);
    expect(at(roi.x, roi.y)).toBe(0);
    // Along the horizontal through the centre the oval edge is at x = 10.
    const row = [10, 11, 12, 14, 16, 17, 18, 20].map((x) => at(x, 40));
    for (let i = 1; i < row.length; i++) expect(row[i]!).toBeGreaterThanOrEqual(row[i - 1]!);
    expect(row[0]).toBeLessThan(0.05);
    expect(row[2]).toBeGreaterThan(0.05);
    expect(row[2]).toBeLessThan(0.95);
    expect(at(19, 40)).toBe(1);
    expect(alpha.every((a) => a === 0 || (a >= MIN_ALPHA && a <= 1))).toBe(true);
  });

  it('keeps the mouth and eyes when asked, inside an unchanged blend domain', () => {
    const plain = mask(options);
    expect(plain.keep.every((k) => k === 1)).toBe(true);
    const { geometry, alpha, keep } = mask({ ...options, keepMouth: true, keepEyes: true });
    expect(alpha).toEqual(plain.alpha);
    const { roi, polygons, mouth, leftEye } = geometry;
    const centre = (range: { start: number; count: number }) => {
      let x = 0;
      let y = 0;
      for (let i = 0; i < range.count; i++) {
        x += polygons[(range.start + i) * 2]!;
        y += polygons[(range.start + i) * 2 + 1]!;
      }
      return [Math.floor(x / range.count), Math.floor(y / range.count)] as const;
    };
    for (const [x, y] of [centre(mouth), centre(leftEye)]) {
      const i = (y - roi.y) * roi.width + (x - roi.x);
      expect(alpha[i]).toBeGreaterThan(0.9);
      expect(keep[i]).toBe(0);
    }
    expect(keep.every((k) => k >= 0 && k <= 1)).toBe(true);
    expect(keep.filter((k) => k === 1).length).toBeGreaterThan(keep.length / 2);
  });

  it('is 0 wherever the warp does not cover the pixel', () => {
    const { warp, alpha } = mask(options);
    for (let i = 0; i < alpha.length; i++) if (warp[i * 4 + 3] === 0) expect(alpha[i]).toBe(0);
  });
});
