import type { FaceMatch } from '../engine/api';
import type { DetectedFace } from '../engine/faces';
import { matchFace } from '../engine/mapping';
import { FaceTracks } from './face-tracks';
import type { SwapFrame } from './frame-swapper';

/** The faces of one frame to swap, each with its source (an index into the job's source faces). */
export interface FrameFaces {
  faces: DetectedFace[];
  sources: number[];
  /** True when a chosen face was not found in this frame. */
  lost: boolean;
}

/** Which faces of each frame a GIF, video or live job swaps, followed from frame to frame. */
export interface FrameChoice {
  next(frame: SwapFrame, faces: DetectedFace[], dtS: number): Promise<FrameFaces>;
  /** Faces followed so far. */
  readonly count: number;
  /** By likeness: each followed face's match, in order of first appearance. */
  matches?(): FaceMatch[];
}

/** GIF and video: the faces `choose` picks in the first frame, followed through the rest. */
export class FirstFrameChoice implements FrameChoice {
  private tracks: FaceTracks | null = null;

  constructor(private readonly choose: (firstFrameFaces: DetectedFace[]) => DetectedFace[]) {}

  get count(): number {
    return this.tracks?.count ?? 0;
  }

  next(_frame: SwapFrame, faces: DetectedFace[], dtS: number): Promise<FrameFaces> {
    this.tracks ??= new FaceTracks(this.choose(faces));
    const found = this.tracks.update(faces, dtS);
    const tracked = found.filter((f): f is DetectedFace => f !== null);
    return Promise.resolve({
      faces: tracked,
      sources: tracked.map(() => 0),
      lost: tracked.length < found.length,
    });
  }
}

/** Live: every face in view; a face out of view for `forgetAfterS` loses its track. */
export class AllFacesChoice implements FrameChoice {
  private readonly tracks = new FaceTracks([]);
  private seen = 0;

  constructor(private readonly forgetAfterS: number) {}

  get count(): number {
    return this.seen;
  }

  next(_frame: SwapFrame, faces: DetectedFace[], dtS: number): Promise<FrameFaces> {
    const tracked = this.tracks.updateTracked(faces, dtS, this.forgetAfterS);
    for (const { id } of tracked) this.seen = Math.max(this.seen, id + 1);
    return Promise.resolve({ faces: tracked.map((t) => t.face), sources: tracked.map(() => 0), lost: false });
  }
}

/**
 * By likeness (reference mode, face mapping): every face is followed from the frame where it is
 * first found, and decided there, once: the pair whose reference it is most like, when at least
 * the threshold, else left as it is. A decided face never flips while its track lasts.
 */
export class LikenessChoice implements FrameChoice {
  private readonly tracks = new FaceTracks([]);
  private readonly decided = new Map<number, FaceMatch>();

  constructor(
    private readonly references: readonly Float32Array[],
    /** Each pair's source (index into the job's source faces). */
    private readonly sourceOfPair: readonly number[],
    private readonly threshold: number,
    private readonly forgetAfterS: number,
  ) {}

  get count(): number {
    return this.decided.size;
  }

  matches(): FaceMatch[] {
    return [...this.decided.values()];
  }

  async next(frame: SwapFrame, faces: DetectedFace[], dtS: number): Promise<FrameFaces> {
    const tracked = this.tracks.updateTracked(faces, dtS, this.forgetAfterS);
    const fresh = tracked.filter((t) => !this.decided.has(t.id));
    const descriptors = await frame.describe(fresh.map((t) => t.face));
    fresh.forEach(({ id }, i) =>
      this.decided.set(id, { face: id, ...matchFace(descriptors[i]!, this.references, this.threshold) }),
    );
    const chosen = tracked.filter((t) => this.decided.get(t.id)!.pair !== null);
    return {
      faces: chosen.map((t) => t.face),
      sources: chosen.map((t) => this.sourceOfPair[this.decided.get(t.id)!.pair!]!),
      lost: false,
    };
  }
}
