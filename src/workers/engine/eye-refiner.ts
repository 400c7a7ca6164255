import type { DetectedFace } from './faces';
import type { FaceInput } from './face-input';
import { cropToImage, eyeLineAngle, turnedCrop, type MeshCrop } from './face-mesh';
import { readOnce, type GraphModel, type Tf } from './face-models';

/**
 * MediaPipe's iris model (Human ships it) on a crop around each eye: its eye contour replaces the
 * mesh's (as MediaPipe's "refined landmarks" do). FaceMesh alone draws lowered or closed
 * lids open; the swap then keeps an eye-shaped hole of lid skin ringed by the source's lash lines.
 */

/**
 * The eye contour, lower lid then upper lid, as mesh points (MediaPipe's annotations), in the iris
 * model's order: its first 16 points. The model's other points (rings around the eye, the brow) are
 * left to the mesh: taking them too moved the swapped brows off the target's (landmark error median
 * 0.046 -> 0.055 on the quality bench; contours alone: 0.047).
 */
const RIGHT_CONTOUR = [33, 7, 163, 144, 145, 153, 154, 155, 133, 246, 161, 160, 159, 158, 157, 173];
const LEFT_CONTOUR = [263, 249, 390, 373, 374, 380, 381, 382, 362, 466, 388, 387, 386, 385, 384, 398];
/** Points per eye the model returns (x, y, z each): 71 on the eye, lids and brow, then 5 on the iris. */
const MODEL_POINTS = 76;
/** The crop: a square this many times the distance between the eye's corners (MediaPipe's 2.3). */
const CROP_SCALE = 2.3;
/**
 * Faces turned further than this are left as meshed: the far eye is foreshortened past what the
 * model resolves.
 */
export const MAX_REFINED_YAW_DEG = 30;
/** Eyes narrower than this (pixels between the corners) are left as meshed: too few pixels to read. */
export const MIN_EYE_PX = 6;

interface Eye {
  points: readonly number[];
  /** The model sees this eye mirrored left to right (it was trained on one side). */
  mirrored: boolean;
}
const EYES: readonly Eye[] = [
  { points: RIGHT_CONTOUR, mirrored: false },
  { points: LEFT_CONTOUR, mirrored: true },
];

/** The square crop around an eye's corners, turned with the face's eye line. */
function eyeCrop(mesh: Float32Array, eye: Eye, angle: number): MeshCrop {
  const [a, b] = [eye.points[0]!, eye.points[8]!];
  const corners = Float32Array.of(mesh[a * 2]!, mesh[a * 2 + 1]!, mesh[b * 2]!, mesh[b * 2 + 1]!);
  return turnedCrop(corners, angle, CROP_SCALE);
}

export class EyeRefiner {
  readonly size: number;
  passes = 0;

  constructor(
    private readonly tf: Tf,
    private readonly model: GraphModel,
  ) {
    this.size = model.inputs[0]?.shape?.[1] ?? 64;
  }

  /** Replaces the eye contours of `faces`' meshes (in place) with the iris model's; one pass for all. */
  async refine(image: FaceInput, faces: readonly DetectedFace[]): Promise<void> {
    const { tf, size } = this;
    const chosen = faces
      .map((face) => ({ face, crops: EYES.map((eye) => eyeCrop(face.mesh, eye, eyeLineAngle(face.mesh))) }))
      .filter(
        ({ face, crops }) =>
          Math.abs(face.yawDeg ?? 0) < MAX_REFINED_YAW_DEG &&
          crops.every((crop) => crop.side >= CROP_SCALE * MIN_EYE_PX),
      );
    if (chosen.length === 0) return;
    const n = chosen.length;
    // Right eyes first, then left eyes, which the model sees mirrored.
    const regions = EYES.flatMap((_, e) => chosen.map(({ crops }) => crops[e]!));
    const input = await image.tensor(tf, regions, size, { scale: 1, offset: 0 });
    const [right, left] = tf.split(input, 2);
    const mirrored = tf.reverse(left!, 2);
    const batch = tf.concat([right!, mirrored]);
    const output = this.model.execute(batch);
    this.passes++;
    const outputs = Array.isArray(output) ? output : [output];
    try {
      const [points] = await readOnce(tf, outputs.slice(0, 1));
      EYES.forEach((eye, e) =>
        chosen.forEach(({ face, crops }, f) => {
          const at = (e * n + f) * MODEL_POINTS * 3;
          place(face.mesh, eye, crops[e]!, points!.subarray(at, at + MODEL_POINTS * 3), size);
        }),
      );
    } finally {
      tf.dispose([input, right!, left!, mirrored, batch, ...outputs]);
    }
  }
}

/** The model's points (crop pixels, mirrored for `eye.mirrored`) into the mesh, in image pixels. */
function place(mesh: Float32Array, eye: Eye, crop: MeshCrop, points: Float32Array, size: number): void {
  const put = cropToImage(crop, size);
  eye.points.forEach((index, i) => {
    const x = points[i * 3]!;
    put(eye.mirrored ? size - x : x, points[i * 3 + 1]!, mesh, index * 2);
  });
}
