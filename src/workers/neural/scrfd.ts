/**
 * SCRFD det_10g post-processing, following insightface's `SCRFD.detect` / `forward`
 * (python-package/insightface/model_zoo/scrfd.py), which FaceFusion repeats.
 */
import type { CropParams } from '../../gpu/reference/neural-crop';

/** The detector's square input side (insightface's det_size default, FaceFusion's 640x640). */
export const SCRFD_INPUT_SIZE = 640;
/** Feature strides of the three heads, in output order (insightface `_feat_stride_fpn`). */
export const SCRFD_STRIDES = [8, 16, 32] as const;
/** Anchors per feature-map cell (insightface `_num_anchors` for det_10g). */
export const SCRFD_ANCHORS_PER_CELL = 2;
/** Keep anchors scoring at least this (insightface `det_thresh`, FaceFusion's default 0.5). */
export const SCRFD_SCORE_THRESHOLD = 0.5;
/** Drop a box overlapping a better one by more than this IoU (insightface `nms_thresh`). */
export const SCRFD_NMS_THRESHOLD = 0.4;

/** A face found by SCRFD: corners, score, and the 5 keypoints in insightface's order. */
export interface ScrfdFace {
  /** x1, y1, x2, y2. */
  box: [number, number, number, number];
  score: number;
  /** Left eye, right eye, nose tip, left and right mouth corners (as seen in the image), x, y pairs. */
  keypoints: Float32Array;
}

/**
 * How an image of `width` x `height` is letterboxed into the detector input: resized by
 * `scale` = min(size / width, size / height) to `resizedWidth` x `resizedHeight`, drawn at the
 * top-left corner of a size x size image of zeros (no centring), as insightface does.
 * The detector input, 1x3xSxS planar RGB with each value (x - 127.5) / 128 (insightface SCRFD
 * `input_mean` 127.5, `input_std` 128), is the neural crop with toImage = [1/scale, 0, 0, 0,
 * 1/scale, 0], border 'zero', scale 1 / 128 and offset -127.5 / 128 (see neural-swap.ts).
 */
export interface Letterbox {
  scale: number;
  resizedWidth: number;
  resizedHeight: number;
}

export function letterbox(width: number, height: number, size = SCRFD_INPUT_SIZE): Letterbox {
  if (!(width > 0 && height > 0)) throw new RangeError(`bad image size ${width}x${height}`);
  const scale = Math.min(size / width, size / height);
  return {
    scale,
    resizedWidth: Math.min(size, Math.max(1, Math.round(width * scale))),
    resizedHeight: Math.min(size, Math.max(1, Math.round(height * scale))),
  };
}

/**
 * The detector input as a crop of the photo: letterboxed top-left onto size x size zeros (border
 * 'zero'), (x - 127.5) / 128, as insightface feeds SCRFD.
 */
export function letterboxCrop(width: number, height: number, size = SCRFD_INPUT_SIZE): CropParams {
  const { scale } = letterbox(width, height, size);
  return {
    toImage: [1 / scale, 0, 0, 0, 1 / scale, 0],
    size,
    step: 1,
    phaseX: 0,
    phaseY: 0,
    scale: 1 / 128,
    offset: -127.5 / 128,
    border: 'zero',
  };
}

/**
 * Anchor centres for one stride, x, y pairs: floor(size / stride)^2 cells, row-major, each cell's centre
 * (col * stride, row * stride) repeated once per anchor, as insightface builds them with
 * `np.mgrid` and `np.stack([centres] * num_anchors, axis=1)`.
 */
export function anchorCentres(size: number, stride: number): Float32Array {
  const cells = Math.floor(size / stride);
  const out = new Float32Array(cells * cells * SCRFD_ANCHORS_PER_CELL * 2);
  let k = 0;
  for (let row = 0; row < cells; row++) {
    for (let col = 0; col < cells; col++) {
      for (let a = 0; a < SCRFD_ANCHORS_PER_CELL; a++) {
        out[k++] = col * stride;
        out[k++] = row * stride;
      }
    }
  }
  return out;
}

/**
 * Decodes the 9 SCRFD outputs, in the order det_10g produces them: scores for strides 8, 16, 32,
 * then bbox distances for 8, 16, 32, then keypoint offsets for 8, 16, 32. For stride s there are
 * N = (size / s)^2 * 2 anchors (12800, 3200 and 800 at 640) and the shapes are N x 1, N x 4 and
 * N x 10 (a leading batch dimension of 1 is allowed; only the flat data is read).
 * Distances are (left, top, right, bottom) and offsets (dx, dy) x 5 in units of the stride, from
 * the anchor centre (insightface `distance2bbox` / `distance2kps`). Returns the faces scoring at
 * least `scoreThreshold`, in detector-input pixels, unsorted and before NMS.
 */
export function decodeScrfd(
  outputs: readonly Float32Array[],
  size = SCRFD_INPUT_SIZE,
  scoreThreshold = SCRFD_SCORE_THRESHOLD,
): ScrfdFace[] {
  const heads = SCRFD_STRIDES.length;
  if (outputs.length !== heads * 3)
    throw new RangeError(`expected ${heads * 3} outputs, got ${outputs.length}`);
  const faces: ScrfdFace[] = [];
  SCRFD_STRIDES.forEach((stride, h) => {
    const centres = anchorCentres(size, stride);
    const n = centres.length / 2;
    const scores = outputs[h] as Float32Array;
    const boxes = outputs[h + heads] as Float32Array;
    const kps = outputs[h + 2 * heads] as Float32Array;
    if (scores.length !== n || boxes.length !== n * 4 || kps.length !== n * 10) {
      throw new RangeError(`stride ${stride}: expected ${n}x1, ${n}x4 and ${n}x10 outputs`);
    }
    for (let i = 0; i < n; i++) {
      const score = scores[i] as number;
      if (!(score >= scoreThreshold)) continue;
      const cx = centres[2 * i] as number;
      const cy = centres[2 * i + 1] as number;
      const d = (j: number): number => (boxes[4 * i + j] as number) * stride;
      const keypoints = new Float32Array(10);
      for (let j = 0; j < 10; j++)
        keypoints[j] = (j % 2 === 0 ? cx : cy) + (kps[10 * i + j] as number) * stride;
      faces.push({ box: [cx - d(0), cy - d(1), cx + d(2), cy + d(3)], score, keypoints });
    }
  });
  return faces;
}

/** Intersection over union of two x1, y1, x2, y2 boxes (continuous, no +1 on widths). */
export function iou(a: ScrfdFace['box'], b: ScrfdFace['box']): number {
  const w = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]));
  const h = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
  const inter = w * h;
  const union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter;
  return union > 0 ? inter / union : 0;
}

/**
 * Greedy non-maximum suppression: highest score first, dropping every face whose IoU with a kept
 * one exceeds `threshold` (insightface keeps `ovr <= thresh`; FaceFusion uses cv2.dnn.NMSBoxes,
 * whose continuous IoU this follows). Returns the kept faces, best first.
 */
export function nonMaxSuppression(faces: readonly ScrfdFace[], threshold = SCRFD_NMS_THRESHOLD): ScrfdFace[] {
  const kept: ScrfdFace[] = [];
  for (const face of [...faces].sort((x, y) => y.score - x.score)) {
    if (kept.every((k) => iou(k.box, face.box) <= threshold)) kept.push(face);
  }
  return kept;
}

/** Maps a face from detector-input pixels back to the original image (divide by the letterbox scale). */
export function toImagePixels(face: ScrfdFace, scale: number): ScrfdFace {
  return {
    box: [face.box[0] / scale, face.box[1] / scale, face.box[2] / scale, face.box[3] / scale],
    score: face.score,
    keypoints: face.keypoints.map((v) => v / scale),
  };
}

/** The full post-processing: decode, threshold, NMS, back to image pixels. Best face first. */
export function scrfdFaces(
  outputs: readonly Float32Array[],
  box: Letterbox,
  size = SCRFD_INPUT_SIZE,
): ScrfdFace[] {
  return nonMaxSuppression(decodeScrfd(outputs, size)).map((face) => toImagePixels(face, box.scale));
}
