import { iou, type Box } from './boxes';
import type { FaceInput, ImageRegion } from './face-input';
import { loadVerifiedModels, readOnce, type GraphModel, type Tensor, type Tf } from './face-models';
import { keypointBox } from './hand-outline';

/** The hand models as files in the model manifest (entry `human-hand`). */
export const handModelFiles = {
  detector: 'human/handtrack.json',
  landmarks: 'human/handlandmark-lite.json',
} as const;

/** A hand found near a face: 21 keypoints (x, y pairs in image pixels) and the landmark model's score. */
export interface FoundHand {
  keypoints: Float32Array;
  score: number;
}

/** The detector's input side: the square around a face is resampled to it (the model takes any size). */
const DETECTOR_SIZE = 384;
/** The detector's outputs (as Human names them): class scores [1, n, 7] and boxes [1, n, 1, 4] (y0, x0, y1, x1). */
const DETECTOR_OUTPUTS = [
  'StatefulPartitionedCall/Postprocessor/Slice',
  'StatefulPartitionedCall/Postprocessor/ExpandDims_1',
];
/** Classes: hand, fist, pinch, point, face, tip, pinchtip; a face is not a hand. */
const CLASSES = 7;
const FACE_CLASS = 4;
const LANDMARK_SIZE = 224;
/** The landmark model's outputs: the hand score (a logit) and 21 x, y, z keypoints in input pixels. */
const LANDMARK_OUTPUTS = ['Identity_1', 'Identity'];
const MIN_DETECTION = 0.5;
const MIN_LANDMARKS = 0.6;
/** The square around a face, this many times its larger side, where a hand could cover it. */
const AROUND_FACE = 3.5;
/** The landmark model's crop: the detected box's larger side times this, as Human crops it. */
const HAND_CROP = 1.5;
/**
 * Tracking: the crop around a hand's last keypoints, their larger extent times this (Human's 1.6 let
 * the landmarks drift off a hand held over a face in the frame tests; this matches the detector's crop).
 */
const TRACK_CROP = 2.2;
const HANDS_PER_REGION = 2;

/**
 * Human's hand models (HandTrack detector, HandLandmark 21 keypoints), run only around faces: one
 * detector pass per square around a face, then one landmark pass per hand found there. `track`
 * follows known hands into a new frame with the landmark model alone.
 */
export class HandFinder {
  /** Model runs so far, per model; the analyser takes and resets them. */
  passes = { detector: 0, landmarks: 0 };

  private constructor(
    private readonly tf: Tf,
    private readonly detector: GraphModel,
    private readonly landmarks: GraphModel,
  ) {}

  static async create(tf: Tf, modelBaseUrl: string): Promise<HandFinder> {
    const [detector, landmarks] = await loadVerifiedModels(tf, modelBaseUrl, 'human-hand', [
      handModelFiles.detector,
      handModelFiles.landmarks,
    ]);
    return new HandFinder(tf, detector!, landmarks!);
  }

  /** The hands in the squares around these face boxes, each once. */
  async find(image: FaceInput, faces: readonly Box[], signal?: AbortSignal): Promise<FoundHand[]> {
    const regions: ImageRegion[] = [];
    for (const [x, y, w, h] of faces) {
      const side = AROUND_FACE * Math.max(w, h);
      const region = { cx: x + w / 2, cy: y + h / 2, side, angle: 0 };
      if (regions.every((r) => iou(squareBox(r), squareBox(region)) < 0.5)) regions.push(region);
    }
    const hands: FoundHand[] = [];
    for (const region of regions) {
      if (signal?.aborted) break;
      for (const [x, y, w, h] of await this.detect(image, region)) {
        const crop = { cx: x + w / 2, cy: y + h / 2, side: HAND_CROP * Math.max(w, h), angle: 0 };
        const hand = await this.keypoints(image, crop);
        if (!hand) continue;
        const extent = keypointBox(hand.keypoints);
        if (hands.every((other) => iou(keypointBox(other.keypoints), extent) <= 0.3)) hands.push(hand);
      }
    }
    return hands;
  }

  /** Hand boxes in image pixels, best first, overlaps removed. */
  private async detect(image: FaceInput, region: ImageRegion): Promise<Box[]> {
    const pixels = await image.tensor(this.tf, [region], DETECTOR_SIZE, { scale: 255, offset: 0 });
    const input = this.tf.cast(pixels, 'int32');
    const outputs = await this.detector.executeAsync(input, DETECTOR_OUTPUTS);
    this.passes.detector++;
    const list = Array.isArray(outputs) ? outputs : [outputs];
    try {
      const [scores, boxes] = await readOnce(this.tf, list);
      const found: { box: Box; score: number }[] = [];
      const left = region.cx - region.side / 2;
      const top = region.cy - region.side / 2;
      for (let a = 0; a < scores!.length / CLASSES; a++) {
        let score = 0;
        for (let c = 0; c < CLASSES; c++)
          if (c !== FACE_CLASS) score = Math.max(score, scores![a * CLASSES + c]!);
        if (score < MIN_DETECTION) continue;
        const [y0, x0, y1, x1] = boxes!.subarray(a * 4, a * 4 + 4);
        const box: Box = [
          left + x0! * region.side,
          top + y0! * region.side,
          (x1! - x0!) * region.side,
          (y1! - y0!) * region.side,
        ];
        if (box[2] > 0 && box[3] > 0) found.push({ box, score });
      }
      const kept: { box: Box; score: number }[] = [];
      for (const hit of found.sort((a, b) => b.score - a.score)) {
        if (kept.length < HANDS_PER_REGION && kept.every((k) => iou(k.box, hit.box) <= 0.3)) kept.push(hit);
      }
      return kept.map((k) => k.box);
    } finally {
      this.tf.dispose([pixels, input, ...list]);
    }
  }

  /**
   * Known hands in a new frame, by the landmark model alone on a square around each one's last
   * keypoints moved by `motion[i]`: null where it no longer sees a hand.
   */
  async track(
    image: FaceInput,
    hands: readonly FoundHand[],
    motion: readonly (readonly [number, number])[],
  ): Promise<(FoundHand | null)[]> {
    const found: (FoundHand | null)[] = [];
    for (const [i, hand] of hands.entries()) {
      const [x, y, w, h] = keypointBox(hand.keypoints);
      const [dx, dy] = motion[i] ?? [0, 0];
      const crop = { cx: x + w / 2 + dx, cy: y + h / 2 + dy, side: TRACK_CROP * Math.max(w, h), angle: 0 };
      found.push(await this.keypoints(image, crop));
    }
    return found;
  }

  /** The 21 keypoints of the hand in the square `crop`, or null when the landmark model sees no hand there. */
  private async keypoints(image: FaceInput, crop: ImageRegion): Promise<FoundHand | null> {
    const input = await image.tensor(this.tf, [crop], LANDMARK_SIZE, { scale: 1, offset: 0 });
    const outputs = this.landmarks.execute(input, LANDMARK_OUTPUTS) as Tensor[];
    this.passes.landmarks++;
    try {
      const [logit, points] = await readOnce(this.tf, outputs);
      const score = 1 / (1 + Math.exp(-logit![0]!));
      if (score < MIN_LANDMARKS) return null;
      const keypoints = new Float32Array((points!.length / 3) * 2);
      const k = crop.side / LANDMARK_SIZE;
      for (let i = 0; i < keypoints.length / 2; i++) {
        keypoints[i * 2] = crop.cx - crop.side / 2 + points![i * 3]! * k;
        keypoints[i * 2 + 1] = crop.cy - crop.side / 2 + points![i * 3 + 1]! * k;
      }
      return { keypoints, score };
    } finally {
      this.tf.dispose([input, ...outputs]);
    }
  }
}

function squareBox(region: ImageRegion): Box {
  return [region.cx - region.side / 2, region.cy - region.side / 2, region.side, region.side];
}
