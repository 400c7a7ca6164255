import { describe, expect, it } from 'vitest';
import { createCpuSwapper } from '../../src/gpu/cpu-swapper';
import { YAW_FADE_DEG, YAW_LIMIT_DEG, yawStrength } from '../../src/gpu/profile';
import type { BlendOptions, FacePair } from '../../src/gpu/types';
import { gridFace, gridTopology, syntheticImage } from '../browser/kernels/synthetic-face';

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
