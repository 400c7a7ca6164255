import type { BlendOptions } from './blend';

/** Which compute backend runs the face models and kernels. 'auto' follows the rules in DESIGN.md. */
export type BackendChoice = 'auto' | 'webgpu' | 'wasm';

export interface DoppelConfig {
  /** Where model files and the tfjs wasm binaries are served from (our own origin). */
  modelBaseUrl: string;
  wasmBaseUrl: string;
  backend: BackendChoice;
  limits: {
    /** Largest accepted image, in pixels (width * height). */
    maxPixels: number;
    /** Largest accepted side, in pixels. */
    maxSide: number;
  };
  detection: {
    maxFaces: number;
    minConfidence: number;
    /** Images whose smaller side is above this are also scanned in overlapping tiles to find small faces. */
    tileAbove: number;
    /** Side of one detection tile, in pixels of the original image. */
    tileSize: number;
    /** Video, GIF and live: the detector runs at least every this many frames; the mesh alone tracks between. */
    keyframeEvery: number;
    /** A tracked face whose mesh score falls below this sends its frame back to the detector. */
    minTrackScore: number;
    /**
     * Video, GIF and live with hands kept: the hand detector runs around the swapped faces at least
     * every this many frames; the landmark model alone follows the hands it found between.
     */
    handDetectEvery: number;
  };
  blend: BlendOptions;
  /** Reference mode and face mapping: faces at least this similar to a reference are swapped (0..1). */
  likenessThreshold: number;
}

export const defaultConfig: DoppelConfig = {
  modelBaseUrl: '/models/',
  wasmBaseUrl: '/wasm/',
  backend: 'auto',
  limits: { maxPixels: 50_000_000, maxSide: 10_000 },
  detection: {
    maxFaces: 64,
    minConfidence: 0.3,
    tileAbove: 640,
    tileSize: 512,
    keyframeEvery: 10,
    minTrackScore: 0.5,
    handDetectEvery: 3,
  },
  blend: { strength: 1, keepMouth: true, keepEyes: true, feather: 0.08, occlusion: true, hands: true },
  likenessThreshold: 0.6,
};
