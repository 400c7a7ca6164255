import { faceGeometry } from '../../gpu/face-geometry';
import { yawStrength } from '../../gpu/profile';
import { faceMask } from '../../gpu/reference/mask';
import { faceKeep, skinModel } from '../../gpu/reference/occlusion';
import type { BlendOptions, FacePair, MeshTopology, RgbaImage } from '../../gpu/types';
import type { FaceMask } from './api';

/**
 * The built-in swap's blend weight for each face, as the swap computes it (the CPU reference):
 * the feathered oval times keep (the eyes, mouth, occluders and hands kept from the target) times
 * the strength the face's yaw allows, 0..255 over the face's box. The mesh is taken as covering the
 * whole oval (the warp's coverage is not computed here).
 */
export function blendMasks(
  target: RgbaImage,
  faces: readonly FacePair[],
  topology: MeshTopology,
  options: BlendOptions,
): FaceMask[] {
  return faces.flatMap((face) => {
    const geometry = faceGeometry(face, topology, options, target.width, target.height);
    if (!geometry) return [];
    const { x, y, width, height } = geometry.roi;
    const alpha = faceMask(new Float32Array(width * height * 4).fill(1), geometry);
    const keep = faceKeep(target, geometry, skinModel(target, geometry));
    const strength = options.strength * yawStrength(face.yawDeg);
    const weight = new Uint8Array(width * height);
    for (let i = 0; i < weight.length; i++) weight[i] = Math.round(255 * alpha[i]! * keep[i]! * strength);
    return [{ x, y, width, height, weight }];
  });
}
