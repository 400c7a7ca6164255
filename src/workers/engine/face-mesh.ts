import type { ImageRegion } from '../../gpu/reference/face-input';
import type { FaceInput } from './face-input';
import { readOnce, type GraphModel, type Tf } from './face-models';

export const MESH_POINTS = 468;

/**
 * Where the mesh model looks: a square of `side` image pixels around `cx, cy`, turned by `angle`
 * (radians: the crop's x axis in the image, i.e. the direction from the face's right eye to its left).
 */
export type MeshCrop = ImageRegion;

export interface MeshResult {
  /** 468 points, x0,y0,x1,y1,... in image pixels. */
  mesh: Float32Array;
  /** The mesh model's face score, 0..1. */
  score: number;
  /** How far the face is turned left or right, in degrees (0 frontal, 90 a profile): see meshYaw. */
  yawDeg: number;
}

/** Point pairs across the face, right side first: the cheek contour and the eyes' outer corners. */
const YAW_PAIRS = [
  [234, 454],
  [33, 263],
] as const;

/**
 * The face's yaw in degrees from the mesh model's 3-D points (x, y, z in its input pixels, upright
 * along the eye line): the angle of the summed right-to-left vectors of YAW_PAIRS in the x-z plane.
 */
export function meshYaw(points: Float32Array): number {
  let dx = 0;
  let dz = 0;
  for (const [a, b] of YAW_PAIRS) {
    dx += points[b * 3]! - points[a * 3]!;
    dz += points[b * 3 + 2]! - points[a * 3 + 2]!;
  }
  return (Math.atan2(dz, dx) * 180) / Math.PI;
}

/** Outer corners of the eyes in the 468-point mesh (right eye, as seen on the left of the image, first). */
const EYE_CORNERS = [33, 263] as const;

/** Radians: the direction from the face's right eye to its left (0 for an upright face). */
export function eyeLineAngle(mesh: Float32Array): number {
  const [a, b] = EYE_CORNERS;
  return Math.atan2(mesh[b * 2 + 1]! - mesh[a * 2 + 1]!, mesh[b * 2]! - mesh[a * 2]!);
}

/**
 * The crop the next mesh should see for a face whose mesh is known: turned with the eye line,
 * centred on the mesh and `margin` times its extent, as the mesh model was trained (MediaPipe's
 * ROI from landmarks).
 */
export function cropFromMesh(mesh: Float32Array, margin = 1.5): MeshCrop {
  return turnedCrop(mesh, eyeLineAngle(mesh), margin);
}

/**
 * The square around `points` (x0,y0,x1,y1,...) in the frame turned by `angle`: centred on their
 * extent along and across it, `margin` times the larger of the two.
 */
export function turnedCrop(points: Float32Array, angle: number, margin: number): MeshCrop {
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  let minU = Infinity;
  let maxU = -Infinity;
  let minV = Infinity;
  let maxV = -Infinity;
  for (let i = 0; i < points.length; i += 2) {
    const u = cos * points[i]! + sin * points[i + 1]!;
    const v = -sin * points[i]! + cos * points[i + 1]!;
    minU = Math.min(minU, u);
    maxU = Math.max(maxU, u);
    minV = Math.min(minV, v);
    maxV = Math.max(maxV, v);
  }
  const u = (minU + maxU) / 2;
  const v = (minV + maxV) / 2;
  return {
    cx: cos * u - sin * v,
    cy: sin * u + cos * v,
    side: Math.max(maxU - minU, maxV - minV) * margin,
    angle,
  };
}

/** The crop for a detector hit: its box enlarged by `margin`, turned with the detected eye line. */
export function cropFromDetection(box: readonly number[], keypoints: Float32Array, margin = 1.4): MeshCrop {
  return {
    cx: box[0]! + box[2]! / 2,
    cy: box[1]! + box[3]! / 2,
    side: Math.max(box[2]!, box[3]!) * margin,
    angle: Math.atan2(keypoints[3]! - keypoints[1]!, keypoints[2]! - keypoints[0]!),
  };
}

/**
 * FaceMesh on turned crops: each face's crop is resampled (rotated, scaled) straight from the image
 * into the model's input, so only the face's pixels are touched; all faces of a frame run as one
 * batch, and their points and scores come back in one read.
 */
export class FaceMesher {
  readonly size: number;
  passes = 0;

  constructor(
    private readonly tf: Tf,
    private readonly model: GraphModel,
  ) {
    this.size = model.inputs[0]?.shape?.[1] ?? 192;
  }

  async mesh(image: FaceInput, crops: readonly MeshCrop[]): Promise<MeshResult[]> {
    if (crops.length === 0) return [];
    const { size } = this;
    const tensor = await image.tensor(this.tf, crops, size, { scale: 1, offset: 0 });
    const outputs = this.model.execute(tensor);
    this.passes++;
    const list = Array.isArray(outputs) ? outputs : [outputs];
    try {
      const pointsT = list.find((t) => t.shape.at(-1) === MESH_POINTS * 3);
      const scoreT = list.find((t) => t.shape.at(-1) === 1);
      if (!pointsT || !scoreT) throw new Error('face mesh outputs missing');
      // The only readback of a tracked frame: the points steer the crop of the next frame and the swap.
      const [points, scores] = await readOnce(this.tf, [pointsT, scoreT]);
      return crops.map((crop, n) => {
        const face = points!.subarray(n * MESH_POINTS * 3, (n + 1) * MESH_POINTS * 3);
        return { mesh: toImage(face, crop, size), score: scores![n]!, yawDeg: meshYaw(face) };
      });
    } finally {
      this.tf.dispose([tensor, ...list]);
    }
  }
}

/**
 * A crop's input pixels back in image pixels: q (x, y in a size x size input) lands at
 * p = c + R(angle) (q - size / 2) side / size; written at out[at], out[at + 1].
 */
export function cropToImage(crop: MeshCrop, size: number) {
  const k = crop.side / size;
  const cos = Math.cos(crop.angle) * k;
  const sin = Math.sin(crop.angle) * k;
  return (x: number, y: number, out: Float32Array, at: number) => {
    const u = x - size / 2;
    const v = y - size / 2;
    out[at] = crop.cx + cos * u - sin * v;
    out[at + 1] = crop.cy + sin * u + cos * v;
  };
}

/** Model points (x, y, z in input pixels) back to image pixels. */
function toImage(points: Float32Array, crop: MeshCrop, size: number): Float32Array {
  const mesh = new Float32Array(MESH_POINTS * 2);
  const put = cropToImage(crop, size);
  for (let i = 0; i < MESH_POINTS; i++) put(points[i * 3]!, points[i * 3 + 1]!, mesh, i * 2);
  return mesh;
}
