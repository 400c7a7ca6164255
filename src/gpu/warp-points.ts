import { identityShape } from './identity-shape';
import { sourceShown } from './profile';
import type { FacePair, MeshTopology } from './types';

/** Per mesh point, what the warp needs: where it lands, and where it samples the source. */
export interface WarpPoints {
  /** x,y in target image pixels: the target mesh with the source's proportions (identityShape). */
  target: Float32Array;
  /** x,y in source image pixels: the point itself, and its counterpart on the other half of the face. */
  source: Float32Array;
  mirrored: Float32Array;
  /** 1 where the source shows this point's side of the face, 0 where the mirrored half fills it. */
  shown: Float32Array;
}

/**
 * The warp's points for a face: the target mesh shaped like the source (identityShape), the source
 * mesh and its mirror image (sourceShown).
 */
export function warpPoints(face: FacePair, topology: MeshTopology): WarpPoints {
  const { mirror } = topology;
  const mirrored = new Float32Array(face.source.length);
  for (let i = 0; i < mirrored.length / 2; i++) {
    mirrored[i * 2] = face.source[mirror[i]! * 2]!;
    mirrored[i * 2 + 1] = face.source[mirror[i]! * 2 + 1]!;
  }
  return {
    target: identityShape(face, topology),
    source: face.source,
    mirrored,
    shown: sourceShown(face.source, topology),
  };
}

/** Floats per point in the WGSL warp's mesh buffer: target x, y, source x, y; mirrored x, y, shown, 0. */
export const WARP_POINT_FLOATS = 8;

/** The warp points in the layout of the WGSL warp's mesh buffer. */
export function packWarpPoints(points: WarpPoints): Float32Array {
  const count = points.target.length / 2;
  const packed = new Float32Array(count * WARP_POINT_FLOATS);
  for (let i = 0; i < count; i++) {
    packed.set(
      [
        points.target[i * 2]!,
        points.target[i * 2 + 1]!,
        points.source[i * 2]!,
        points.source[i * 2 + 1]!,
        points.mirrored[i * 2]!,
        points.mirrored[i * 2 + 1]!,
        points.shown[i]!,
        0,
      ],
      i * WARP_POINT_FLOATS,
    );
  }
  return packed;
}
