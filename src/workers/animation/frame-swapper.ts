import type { FrameSource } from '../../gpu/resident-frames';
import type { RgbaImage } from '../../gpu/types';
import type { DetectedFace } from '../engine/faces';

export type { FrameSource };

/** Milliseconds per stage of one frame's swap. */
export type SwapTimes = Record<string, number | undefined>;

/**
 * One frame while the engine holds it: its faces found (followed from the frames before), some of
 * them swapped, then handed on as a bitmap or as pixels.
 */
export interface SwapFrame {
  readonly width: number;
  readonly height: number;
  /** True when the frame stays on the GPU: `bitmap` then reads nothing back, `pixels` reads it all. */
  readonly resident: boolean;
  detect(signal: AbortSignal): Promise<DetectedFace[]>;
  /**
   * Swaps source faces onto these faces, in place: the request's source face, or with a mapping
   * `sources[i]` (an index into the mapping's source faces) onto `faces[i]`.
   */
  swap(faces: DetectedFace[], signal: AbortSignal, sources?: readonly number[]): Promise<SwapTimes>;
  /** Who each face is: unit-length descriptors (reference mode and face mapping only). */
  describe(faces: readonly DetectedFace[]): Promise<Float32Array[]>;
  /** The frame as it now is, as a new bitmap the caller closes. */
  bitmap(): Promise<ImageBitmap>;
  /** The frame as it now is, as RGBA pixels. */
  pixels(): Promise<RgbaImage>;
  close(): void;
}

/** What the frame loops (GIF, video, live) need from the engine: one frame at a time. */
export interface FrameSwapper {
  /** Takes in a decoded frame; the caller closes `source` after closing the frame. */
  open(source: FrameSource): Promise<SwapFrame>;
}
