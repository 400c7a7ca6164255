import { iou } from './boxes';
import type { FaceInput } from './face-input';
import type { DetectedFace } from './faces';

/** What the follower needs of the analyser. */
export interface FaceFinder {
  detect(image: FaceInput, signal?: AbortSignal): Promise<DetectedFace[]>;
  track(
    image: FaceInput,
    previous: readonly DetectedFace[],
    motion?: readonly (readonly [number, number])[],
  ): Promise<(DetectedFace | null)[]>;
}

export interface FollowOptions {
  /** A keyframe (the detector over the whole frame) at least this often, so new faces are picked up. */
  keyframeEvery: number;
  /** A tracked face whose mesh score falls below this sends the frame back to the detector. */
  minTrackScore: number;
}

/** How a clip's frames were read: keyframes ran the detector, the others only the mesh. */
export interface FollowCounts {
  keyframes: number;
  trackedFrames: number;
}

/** Two tracked faces that collapsed onto one (a crossing): the detector must tell them apart again. */
function centre(face: DetectedFace): [number, number] {
  return [face.box[0] + face.box[2] / 2, face.box[1] + face.box[3] / 2];
}

function collapsed(faces: readonly DetectedFace[]): boolean {
  return faces.some((a, i) => faces.some((b, j) => j > i && iou(a.box, b.box) > 0.5));
}

/**
 * Faces frame by frame for video, GIF and live: the detector on keyframes (the first frame, every
 * `keyframeEvery` frames, and whenever a tracked face is lost, unsure or merged with another);
 * in between, the mesh alone on crops predicted from the last frame's meshes.
 */
export class FaceFollower {
  private last: DetectedFace[] = [];
  /** Each last face's step from the frame before (0 after a keyframe): the next crop moves by it. */
  private motion: [number, number][] = [];
  private sinceKeyframe = Infinity;
  constructor(
    private readonly finder: FaceFinder,
    private readonly options: FollowOptions,
    /** Counted into: a job that changes engines midway keeps counting in the same object. */
    readonly counts: FollowCounts = { keyframes: 0, trackedFrames: 0 },
  ) {}

  async next(frame: FaceInput, signal?: AbortSignal): Promise<DetectedFace[]> {
    if (this.sinceKeyframe + 1 < this.options.keyframeEvery) {
      const tracked = await this.follow(frame);
      if (tracked) {
        this.motion = tracked.map((face, i) => {
          const [x, y] = centre(face);
          const [px, py] = centre(this.last[i]!);
          return [x - px, y - py];
        });
        this.sinceKeyframe++;
        this.counts.trackedFrames++;
        this.last = tracked;
        return tracked;
      }
    }
    this.last = await this.finder.detect(frame, signal);
    this.motion = this.last.map(() => [0, 0]);
    this.sinceKeyframe = 0;
    this.counts.keyframes++;
    return this.last;
  }

  /** The last faces followed into this frame, or null when the detector must look again. */
  private async follow(frame: FaceInput): Promise<DetectedFace[] | null> {
    if (this.last.length === 0) return [];
    const tracked = await this.finder.track(frame, this.last, this.motion);
    const faces = tracked.filter(
      (f): f is DetectedFace => f !== null && f.score >= this.options.minTrackScore,
    );
    return faces.length === tracked.length && !collapsed(faces) ? faces : null;
  }
}
