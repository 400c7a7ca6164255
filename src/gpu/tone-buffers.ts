import { TONE_FLOATS } from './reference/tone';
import { toneRate, TrackMemory } from './track-memory';
import type { FaceTrack } from './types';

const { STORAGE, COPY_SRC, COPY_DST } = GPUBufferUsage;

/**
 * Where the tone match's statistics (TONE_FLOATS f32) live on the GPU: one buffer per tracked face,
 * kept from frame to frame (the MAX_TRACKS most recent), where each frame's are mixed in; one
 * shared buffer for faces without a track (a photo), which each face's replace.
 */
export class ToneBuffers {
  private readonly tracks = new TrackMemory<GPUBuffer>((buffer) => buffer.destroy());
  private untracked: GPUBuffer | null = null;

  constructor(private readonly device: GPUDevice) {}

  /** The face's statistics buffer and the share of this frame's in it (1 for a face new to us). */
  for(track: FaceTrack | undefined): { buffer: GPUBuffer; rate: number } {
    if (!track) return { buffer: (this.untracked ??= this.create('tone-stats')), rate: 1 };
    const known = this.tracks.get(track.id);
    if (known) return { buffer: known, rate: toneRate(track.dt) };
    const buffer = this.create('tone-track');
    this.tracks.set(track.id, buffer);
    return { buffer, rate: 1 };
  }

  destroy(): void {
    this.tracks.clear();
    this.untracked?.destroy();
    this.untracked = null;
  }

  private create(label: string): GPUBuffer {
    return this.device.createBuffer({ label, size: TONE_FLOATS * 4, usage: STORAGE | COPY_SRC | COPY_DST });
  }
}
