import { iou, type Box } from './boxes';
import type { FaceInput } from './face-input';
import type { FoundHand } from './hand-finder';
import { keypointBox } from './hand-outline';

/** What the follower needs of the hand models (HandFinder). */
export interface HandTracker {
  find(image: FaceInput, faces: readonly Box[], signal?: AbortSignal): Promise<FoundHand[]>;
  track(
    image: FaceInput,
    hands: readonly FoundHand[],
    motion: readonly (readonly [number, number])[],
  ): Promise<(FoundHand | null)[]>;
}

function centre(hand: FoundHand): [number, number] {
  const [x, y, w, h] = keypointBox(hand.keypoints);
  return [x + w / 2, y + h / 2];
}

/**
 * Hands in front of the faces being swapped, frame by frame (video, GIF, live). The hand detector
 * runs around the faces on the first frame, at least every `detectEvery` frames, and on any frame
 * where a followed hand is lost or two merge (the hands followed until then stay while the landmark
 * model still sees them); in between, each hand found is followed by the landmark model alone on a square around its last keypoints moved by its last step, so a hand that
 * moves is kept where it is now, never where it was. A hand that comes into view between detector
 * runs is found at the next one (within `detectEvery` - 1 frames).
 */
export class HandFollower {
  private last: FoundHand[] = [];
  /** Each last hand's step from the frame before (0 after a detector run). */
  private motion: [number, number][] = [];
  private sinceDetect = Infinity;

  constructor(
    private readonly finder: HandTracker,
    private readonly detectEvery: number,
  ) {}

  /** The hands around these faces (boxes) in this frame. */
  async next(image: FaceInput, faces: readonly Box[], signal?: AbortSignal): Promise<FoundHand[]> {
    if (this.sinceDetect + 1 < this.detectEvery) {
      const tracked = await this.follow(image);
      if (tracked) {
        this.motion = tracked.map((hand, i) => {
          const [x, y] = centre(hand);
          const [px, py] = centre(this.last[i]!);
          return [x - px, y - py];
        });
        this.last = tracked;
        this.sinceDetect++;
        return tracked;
      }
    }
    // The hands followed so far are kept where the landmark model still sees them (a detector near
    // its threshold can miss a hand it found before); the detector adds the hands new in view.
    const kept = this.last.length > 0 ? await this.finder.track(image, this.last, this.motion) : [];
    const found = await this.finder.find(image, faces, signal);
    for (const hand of kept) {
      const box = hand && keypointBox(hand.keypoints);
      if (box && found.every((other) => iou(keypointBox(other.keypoints), box) <= 0.3)) found.push(hand!);
    }
    this.last = found;
    this.motion = this.last.map(() => [0, 0]);
    this.sinceDetect = 0;
    return this.last;
  }

  /** The last hands followed into this frame, or null when the detector must look again. */
  private async follow(image: FaceInput): Promise<FoundHand[] | null> {
    if (this.last.length === 0) return [];
    const tracked = await this.finder.track(image, this.last, this.motion);
    const hands = tracked.filter((hand): hand is FoundHand => hand !== null);
    const boxes = hands.map((hand) => keypointBox(hand.keypoints));
    const merged = boxes.some((a, i) => boxes.some((b, j) => j > i && iou(a, b) > 0.3));
    return hands.length === tracked.length && !merged ? hands : null;
  }
}
