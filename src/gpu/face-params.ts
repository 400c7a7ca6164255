import type { FaceGeometry, Roi } from './face-geometry';
import { colourGrid, gaussianWeights } from './reference/colour';
import { poissonLevels } from './reference/poisson';
import { reflectingSides } from './reference/poisson-stencils';

/** Byte size of the WGSL Params uniform (kernels/params.wgsl.ts). */
export const PARAMS_BYTES = 144;

/**
 * Packs a face's geometry into the layout of the WGSL Params struct; `toneRate` is the share of
 * this frame's skin model and tone statistics in the face's smoothed ones (1 replaces them).
 */
export function packFaceParams(
  geometry: FaceGeometry,
  imageWidth: number,
  imageHeight: number,
  strength: number,
  toneRate = 1,
): ArrayBuffer {
  const buffer = new ArrayBuffer(PARAMS_BYTES);
  const u32 = new Uint32Array(buffer);
  const f32 = new Float32Array(buffer);
  const { roi } = geometry;
  u32.set([roi.x, roi.y, roi.width, roi.height, imageWidth, imageHeight], 0);
  f32[6] = strength;
  f32[7] = geometry.featherPx;
  const ranges = [geometry.oval, geometry.mouth, geometry.leftEye, geometry.rightEye];
  ranges.forEach((range, i) => u32.set([range.start, range.count], 8 + i * 2));
  const grid = colourGrid(roi, geometry.colourSigma);
  u32.set([grid.factor, grid.width, grid.height, gaussianWeights(grid.sigma).length - 1], 16);
  const occlusionRanges = [geometry.lips, geometry.leftZone, geometry.rightZone, geometry.skin];
  occlusionRanges.forEach((range, i) => u32.set([range.start, range.count], 20 + i * 2));
  f32[28] = geometry.occlusion ? 1 : 0;
  f32[29] = geometry.protectPx;
  f32[30] = toneRate;
  geometry.hands.forEach((range, i) => u32.set([range.start, range.count], 32 + i * 2));
  return buffer;
}

/** Bytes between the uniform slots of the Poisson levels (the largest minUniformBufferOffsetAlignment). */
export const LEVEL_SLOT_BYTES = 256;

/** Byte size of the WGSL Level uniform (kernels/poisson.wgsl.ts). */
export const LEVEL_BYTES = 48;

/**
 * The Level uniforms of a ROI's pyramid, slot 2 l + parity for level l (restrict, prolong and the
 * coarse stencils read slot 2 l): size, offset, parity, the next level's size and offset (0 for the
 * last), spacing 2^l, the ROI's size and reflecting sides.
 */
export function packLevelParams(roi: Roi, imageWidth: number, imageHeight: number): ArrayBuffer {
  const levels = poissonLevels(roi.width, roi.height);
  const buffer = new ArrayBuffer(levels.length * 2 * LEVEL_SLOT_BYTES);
  const sides = reflectingSides(roi, imageWidth, imageHeight);
  levels.forEach((level, l) => {
    const coarse = levels[l + 1] ?? { width: 0, height: 0, offset: 0 };
    for (let parity = 0; parity < 2; parity++) {
      new Uint32Array(buffer, (2 * l + parity) * LEVEL_SLOT_BYTES, LEVEL_BYTES / 4).set([
        level.width,
        level.height,
        level.offset,
        parity,
        coarse.width,
        coarse.height,
        coarse.offset,
        2 ** l,
        roi.width,
        roi.height,
        sides,
      ]);
    }
  });
  return buffer;
}
