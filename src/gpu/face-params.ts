import type { FaceGeometry } from './face-geometry';

/** Byte size of the WGSL Params uniform (kernels/params.wgsl.ts). */
export const PARAMS_BYTES = 64;

/** Packs a face's geometry into the layout of the WGSL Params struct. */
export function packFaceParams(
  geometry: FaceGeometry,
  imageWidth: number,
  imageHeight: number,
  strength: number,
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
  return buffer;
}
