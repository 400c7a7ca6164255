import { describe, expect, it } from 'vitest';
import { createCpuSwapper } from '../../src/gpu/cpu-swapper';
import { sourceShown, YAW_FADE_DEG, YAW_LIMIT_DEG, yawStrength } from '../../src/gpu/profile';
import { warpMesh } from '../../src/gpu/reference/warp';
import { warpPoints } from '../../src/gpu/warp-points';
import type { BlendOptions, FacePair } from '../../src/gpu/types';
import { gridFace, gridTopology, syntheticImage, turnedGridFace } from '../browser/kernels/synthetic-face';

const topology = gridTopology(8);
const source = syntheticImage(96, 96, 3);
const target = syntheticImage(128, 112, 0);
const face: FacePair = { source: gridFace(8, 48, 50, 30, 36), target: gridFace(8, 60, 54, 34, 40) };
const options: BlendOptions = {
  strength: 1,
  keepMouth: true,
  keepEyes: true,
  feather: 0.08,
  occlusion: false,
};

function meanChange(a: Uint8ClampedArray, b: Uint8ClampedArray): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i]! - b[i]!);
  return sum / a.length;
}

describe('faces turned from the camera', () => {
  it('swap fully up to the fade, fade out to the limit and not at all past it', () => {
    expect(yawStrength(undefined)).toBe(1);
    expect(yawStrength(0)).toBe(1);
    expect(yawStrength(-YAW_FADE_DEG)).toBe(1);
    const half = yawStrength((YAW_FADE_DEG + YAW_LIMIT_DEG) / 2);
    expect(half).toBeGreaterThan(0.2);
    expect(half).toBeLessThan(0.8);
    expect(yawStrength(YAW_LIMIT_DEG)).toBe(0);
    expect(yawStrength(-85)).toBe(0);
  });

  it('a face turned past the limit is reported as skipped and left unchanged', async () => {
    const swapper = createCpuSwapper();
    const other: FacePair = { source: face.source, target: gridFace(8, 108, 30, 12, 14) };
    const turned = { ...face, yawDeg: -78 };
    const result = await swapper.swap(source, target, [other, turned], topology, options);
    expect(result.skipped).toEqual([{ face: 1, reason: expect.stringContaining('78°') as string }]);
    const alone = await swapper.swap(source, target, [other], topology, options);
    expect(result.image.data).toEqual(alone.image.data);
    expect(result.touched).toEqual(alone.touched);
    const frontal = await swapper.swap(source, target, [face], topology, options);
    expect(frontal.skipped).toEqual([]);
    const fading = await swapper.swap(source, target, [{ ...face, yawDeg: 67 }], topology, options);
    const full = meanChange(frontal.image.data, target.data);
    const faded = meanChange(fading.image.data, target.data);
    expect(faded).toBeGreaterThan(0);
    expect(faded).toBeLessThan(full * 0.8);
  });
});

describe('sides of the face the source does not show', () => {
  const n = 8;
  const column = (i: number) => i % (n + 1);

  it('a frontal source shows every point', () => {
    expect(sourceShown(gridFace(n, 48, 50, 30, 36), topology).every((shown) => shown === 1)).toBe(true);
  });

  it('a source turned to one side shows its near half and leaves the far half to the mirror', () => {
    const shown = sourceShown(turnedGridFace(n, 48, 50, 30, 36, 0.85), topology);
    shown.forEach((value, i) => {
      if (column(i) > n / 2) expect(value, `point ${i}`).toBe(1);
      else if (column(i) < n / 2) expect(value, `point ${i}`).toBe(0);
      // The midline fades between the two.
      else expect(value, `point ${i}`).toBeGreaterThan(0);
    });
  });

  it('fills the hidden half with the mirrored half of the source, flipped', () => {
    const turned = turnedGridFace(n, 48, 50, 30, 36, 0.85);
    const frontalTarget = gridFace(n, 60, 54, 34, 40);
    const roi = { x: 0, y: 0, width: 128, height: 112 };
    // On the target's own shape (identityShape would move its inner points towards the turned source's).
    const points = {
      ...warpPoints({ source: turned, target: frontalTarget }, topology),
      target: frontalTarget,
    };
    const warp = warpMesh(source, points, topology.triangles, roi);
    // The same warp from a frontal source: its right half is what the turned source shows.
    const frontal = warpMesh(
      source,
      warpPoints({ source: gridFace(n, 48, 50, 30, 36), target: frontalTarget }, topology),
      topology.triangles,
      roi,
    );
    const mirroredX = (x: number) => Math.round(2 * 60 - 1 - x);
    let compared = 0;
    for (let y = 30; y < 80; y++) {
      for (let x = 36; x < 50; x++) {
        const o = (y * 128 + x) * 4;
        const m = (y * 128 + mirroredX(x)) * 4;
        if (warp[o + 3] !== 1 || frontal[m + 3] !== 1) continue;
        compared++;
        for (let c = 0; c < 3; c++) expect(Math.abs(warp[o + c]! - frontal[m + c]!)).toBeLessThan(0.03);
      }
    }
    expect(compared).toBeGreaterThan(300);
  });
});
