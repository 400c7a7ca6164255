import { SKIN_FLOATS } from './reference/occlusion';
import { TONE_FLOATS } from './reference/tone';
import { toneRate, TrackMemory } from './track-memory';
import type { FaceTrack } from './types';

const { STORAGE, COPY_SRC, COPY_DST } = GPUBufferUsage;

/** Where a face's smoothed state lives on the GPU: its tone statistics and its skin model. */
export interface FaceState {
  tone: GPUBuffer;
  skin: GPUBuffer;
}

/**
 * The faces' tone statistics (TONE_FLOATS f32) and skin models (SKIN_FLOATS f32) on the GPU: one
 * pair per tracked face, kept from frame to frame (the MAX_TRACKS most recent), into which each
 * frame's are mixed at `rate`; one shared pair for faces without a track (a photo), which each
 * face's replace (rate 1).
 */
export class TrackBuffers {
  private readonly tracks = new TrackMemory<FaceState>((state) => this.free(state));
  private untracked: FaceState | null = null;

  constructor(private readonly device: GPUDevice) {}

  /** The face's state and the share of this frame's in it (1 for a face new to us). */
  for(track: FaceTrack | undefined): FaceState & { rate: number } {
    if (!track) return { ...(this.untracked ??= this.create()), rate: 1 };
    const known = this.tracks.get(track.id);
    if (known) return { ...known, rate: toneRate(track.dt) };
    const state = this.create();
    this.tracks.set(track.id, state);
    return { ...state, rate: 1 };
  }

  destroy(): void {
    this.tracks.clear();
    if (this.untracked) this.free(this.untracked);
    this.untracked = null;
  }

  private create(): FaceState {
    const buffer = (label: string, floats: number) =>
      this.device.createBuffer({ label, size: floats * 4, usage: STORAGE | COPY_SRC | COPY_DST });
    return { tone: buffer('tone-stats', TONE_FLOATS), skin: buffer('skin', SKIN_FLOATS) };
  }

  private free(state: FaceState): void {
    state.tone.destroy();
    state.skin.destroy();
  }
}
