import { faceGeometry } from '../face-geometry';
import type { BlendOptions, MeshTopology, RgbaImage } from '../types';
import { faceKeep, skinModel } from './occlusion';
import { ramp, signedInsideDistance } from './polygon';

/**
 * The built-in engine's masks on another engine's result (the neural engine pastes its swapper's
 * face under a box mask and the occlusion and region models' masks that are on): for each face's
 * mesh, inside its oval (feathered as the built-in blend region), what faceKeep keeps of the target
 * takes the target's pixels back: the eye and mouth interiors unless the options take them from
 * the source, and, with occlusion on, what covers the face. So box, model masks, regions and
 * occlusion all combine. `result` is changed in place; returns how many pixels changed.
 */
export function keepTargetRegions(
  result: RgbaImage,
  target: RgbaImage,
  meshes: readonly Float32Array[],
  topology: MeshTopology,
  options: BlendOptions,
): number {
  let changed = 0;
  for (const mesh of meshes) {
    const geometry = faceGeometry(
      { source: mesh, target: mesh },
      topology,
      options,
      target.width,
      target.height,
    );
    if (!geometry) continue;
    const keep = faceKeep(target, geometry, skinModel(target, geometry));
    const { roi, polygons, oval, featherPx } = geometry;
    for (let y = 0; y < roi.height; y++) {
      for (let x = 0; x < roi.width; x++) {
        const kept = 1 - keep[y * roi.width + x]!;
        if (!(kept > 0)) continue;
        const [px, py] = [roi.x + x + 0.5, roi.y + y + 0.5];
        const inside = ramp(featherPx, signedInsideDistance(px, py, polygons, oval.start, oval.count));
        const k = 1 - kept * inside;
        if (k >= 1) continue;
        const p = ((roi.y + y) * target.width + roi.x + x) * 4;
        for (let c = 0; c < 3; c++) {
          const t = target.data[p + c]!;
          result.data[p + c] = Math.round(t + (result.data[p + c]! - t) * k);
        }
        changed++;
      }
    }
  }
  return changed;
}
