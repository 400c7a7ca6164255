import type { BackendChoice } from '../../shared/config';
import type { BlendOptions } from '../../gpu/types';

export type { BlendOptions };

export type Backend = 'webgpu' | 'wasm';

export interface EngineSettings {
  backend: BackendChoice;
  modelBaseUrl: string;
  wasmBaseUrl: string;
}

export interface EngineInfo {
  /** Backend of the face models (tfjs). */
  backend: Backend;
  /** Where the swap kernels run. */
  swapper: 'webgpu' | 'cpu';
  /** Why this backend was chosen, in words for the UI. */
  reason: string;
  adapter: string | null;
  threads: number;
}

export type Stage = 'models' | 'decode' | 'detect' | 'warp' | 'colour' | 'blend' | 'encode';

export interface Progress {
  stage: Stage;
  /** 0..1 over the whole job. */
  fraction: number;
  message: string;
}

export type ProgressCallback = (progress: Progress) => void;

export interface FaceInfo {
  index: number;
  /** x, y, width, height in image pixels. */
  box: [number, number, number, number];
  score: number;
  /** In-plane rotation (roll) in degrees. */
  rollDeg: number;
  /** 468 points, x0,y0,x1,y1,... in image pixels. */
  mesh: Float32Array;
  /** A small crop of the face for the picker (transferred). */
  thumbnail: ImageBitmap;
}

export interface AnalyzeResult {
  imageId: string;
  width: number;
  height: number;
  faces: FaceInfo[];
  ms: { detect: number };
}

export interface SwapRequest {
  sourceId: string;
  sourceFace: number;
  targetId: string;
  /** Indices into the target's faces; all of them when omitted. */
  targetFaces?: number[];
  blend: BlendOptions;
}

export interface SwapResult {
  resultId: string;
  width: number;
  height: number;
  /** The swapped image (transferred). */
  bitmap: ImageBitmap;
  facesSwapped: number;
  /** One byte per pixel, 1 where the output may differ from the target. */
  touched: Uint8Array;
  ms: { warp: number; colour: number; blend: number };
}

export type ImageFormat = 'png' | 'jpeg';

/** The engine worker's one interface; the client wraps it with AbortSignals. */
export interface EngineApi {
  init(settings: EngineSettings, onProgress?: ProgressCallback): Promise<EngineInfo>;
  /** Takes ownership of the (transferred) bitmap and keeps it for later swaps under imageId. */
  analyze(jobId: string, image: ImageBitmap, onProgress?: ProgressCallback): Promise<AnalyzeResult>;
  swap(jobId: string, request: SwapRequest, onProgress?: ProgressCallback): Promise<SwapResult>;
  /** Encodes a result with AI-edited metadata (IPTC DigitalSourceType trainedAlgorithmicMedia in XMP). */
  encode(resultId: string, format: ImageFormat, quality: number): Promise<Blob>;
  release(id: string): void;
  cancel(jobId: string): void;
}
