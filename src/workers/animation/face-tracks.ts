import { iou, type Box } from '../engine/boxes';
import type { DetectedFace } from '../engine/faces';

/** Centre distance in units of the boxes' mean size: 0 is the same centre. */
function centreDistance(a: Box, b: Box): number {
  const dx = a[0] + a[2] / 2 - (b[0] + b[2] / 2);
  const dy = a[1] + a[3] / 2 - (b[1] + b[3] / 2);
  return Math.hypot(dx, dy) / ((a[2] + a[3] + b[2] + b[3]) / 4);
}

/** How well a detection continues a track, 0 (not at all) to 2; below `minMatch` it is a different face. */
function matchScore(previous: Box, next: Box): number {
  return iou(previous, next) + Math.max(0, 1 - centreDistance(previous, next));
}

const minMatch = 0.5;

/**
 * One Euro filter (Casiez et al., CHI 2012) over many values at once: smooths jitter when a face
 * is still and follows it with little lag when it moves.
 */
export class OneEuroFilter {
  private value: Float32Array | null = null;
  private speed: Float32Array | null = null;

  constructor(
    private readonly minCutoff = 1,
    private readonly beta = 0.05,
    private readonly speedCutoff = 1,
  ) {}

  private static alpha(cutoff: number, dt: number): number {
    const tau = 1 / (2 * Math.PI * cutoff);
    return 1 / (1 + tau / dt);
  }

  filter(values: Float32Array, dt: number): Float32Array {
    if (!this.value || !this.speed || dt <= 0) {
      this.value = values.slice();
      this.speed ??= new Float32Array(values.length);
      return this.value.slice();
    }
    const speedAlpha = OneEuroFilter.alpha(this.speedCutoff, dt);
    for (let i = 0; i < values.length; i++) {
      const previous = this.value[i] as number;
      const rawSpeed = ((values[i] as number) - previous) / dt;
      const speed = (this.speed[i] as number) + speedAlpha * (rawSpeed - (this.speed[i] as number));
      this.speed[i] = speed;
      const alpha = OneEuroFilter.alpha(this.minCutoff + this.beta * Math.abs(speed), dt);
      this.value[i] = previous + alpha * ((values[i] as number) - previous);
    }
    return this.value.slice();
  }
}

function boxOf(mesh: Float32Array): Box {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < mesh.length; i += 2) {
    minX = Math.min(minX, mesh[i] as number);
    maxX = Math.max(maxX, mesh[i] as number);
    minY = Math.min(minY, mesh[i + 1] as number);
    maxY = Math.max(maxY, mesh[i + 1] as number);
  }
  return [minX, minY, maxX - minX, maxY - minY];
}

/** Track ids are unique in the worker, so a swapper's per-track state never mixes two jobs' faces. */
let nextTrackId = 0;

interface Track {
  id: number;
  box: Box;
  filter: OneEuroFilter;
  /** Seconds since the track's face was last seen. */
  unseen: number;
}

/**
 * Follows the faces chosen in the first frame through the following frames: each frame's
 * detections are matched to the tracks' last boxes (IoU and centre distance, best pairs first),
 * and each track's mesh is smoothed over time; each face found carries its track (id, and the
 * seconds since it was last seen) so the swap can smooth its colour too. A track without a match this frame is lost
 * (null) for the frame and picks up again when its face reappears near its last place.
 */
export class FaceTracks {
  private tracks: Track[];

  constructor(chosen: readonly DetectedFace[]) {
    this.tracks = chosen.map((face) => ({
      id: nextTrackId++,
      box: face.box,
      filter: new OneEuroFilter(),
      unseen: 0,
    }));
  }

  get count(): number {
    return this.tracks.length;
  }

  /** The smoothed face of every track in this frame (null where it was lost), in track order. */
  update(detected: readonly DetectedFace[], dtSeconds: number): (DetectedFace | null)[] {
    return this.match(detected, dtSeconds).found;
  }

  /**
   * Live mode, where every face in view is swapped: like `update`, but each detection no track took
   * starts a track of its own, and tracks unseen for longer than `forgetAfterS` end.
   */
  updateAll(detected: readonly DetectedFace[], dtSeconds: number, forgetAfterS: number): DetectedFace[] {
    return this.updateTracked(detected, dtSeconds, forgetAfterS).map((t) => t.face);
  }

  /** `updateAll` with each face's track id. */
  updateTracked(
    detected: readonly DetectedFace[],
    dtSeconds: number,
    forgetAfterS: number,
  ): { id: number; face: DetectedFace }[] {
    const { found, usedFaces } = this.match(detected, dtSeconds);
    const kept = this.tracks.flatMap((track, t) => (found[t] ? [{ id: track.id, face: found[t] }] : []));
    this.tracks = this.tracks.filter((track) => track.unseen <= forgetAfterS);
    const fresh = detected.filter((_, f) => !usedFaces.has(f));
    const started = fresh.map((face) => {
      const filter = new OneEuroFilter();
      filter.filter(face.mesh, 0);
      const id = nextTrackId++;
      this.tracks.push({ id, box: face.box, filter, unseen: 0 });
      return { id, face: { ...face, track: { id, dt: 0 } } };
    });
    return [...kept, ...started];
  }

  private match(detected: readonly DetectedFace[], dtSeconds: number) {
    for (const track of this.tracks) track.unseen += dtSeconds;
    const pairs: { track: number; face: number; score: number }[] = [];
    this.tracks.forEach((track, t) =>
      detected.forEach((face, f) => {
        const score = matchScore(track.box, face.box);
        if (score >= minMatch) pairs.push({ track: t, face: f, score });
      }),
    );
    pairs.sort((a, b) => b.score - a.score);
    const result: (DetectedFace | null)[] = this.tracks.map(() => null);
    const usedFaces = new Set<number>();
    for (const { track, face } of pairs) {
      if (result[track] || usedFaces.has(face)) continue;
      usedFaces.add(face);
      const found = detected[face] as DetectedFace;
      const state = this.tracks[track] as Track;
      const mesh = state.filter.filter(found.mesh, state.unseen);
      const followed = { id: state.id, dt: state.unseen };
      state.box = found.box;
      state.unseen = 0;
      result[track] = { ...found, mesh, box: boxOf(mesh), track: followed };
    }
    return { found: result, usedFaces };
  }
}
