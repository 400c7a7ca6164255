import type { FollowCounts } from './face-follower';
import type { BackendChoice } from '../../shared/config';
import type { BlendOptions, SkippedFace } from '../../gpu/types';

export type { BlendOptions, SkippedFace };

export type Backend = 'webgpu' | 'wasm';

export interface EngineSettings {
  backend: BackendChoice;
  modelBaseUrl: string;
  wasmBaseUrl: string;
  /** WASM threads, for comparing (the benchmarks); what the browser offers when omitted. */
  threads?: number;
  /** Count GPU buffer readbacks (GPUBuffer.mapAsync) per frame of GIF and video jobs: tests and benches. */
  countReadbacks?: boolean;
  /** Let `loseGpu` destroy the GPU device: fault-injection tests only. */
  faultInjection?: boolean;
}

/**
 * One frame's GPU buffer readbacks (every GPUBuffer.mapAsync in the worker), beside the face and
 * hand model passes it ran and the readbacks of the frame's own pixels the engine made (GIF encoding, and
 * presenting on a software adapter).
 */
export interface FrameReadbacks extends ModelPasses {
  readbacks: number;
  frame: number;
}

export interface EngineInfo {
  /** Backend of the face models (tfjs). */
  backend: Backend;
  /** Where the swap kernels run. */
  swapper: 'webgpu' | 'cpu';
  /** Why this backend was chosen, in words for the UI. */
  reason: string;
  adapter: string | null;
  /** True when the WebGPU adapter is a software one (SwiftShader). */
  softwareAdapter: boolean;
  /** Threads the face models (tfjs WASM) run on; 1 on WebGPU. */
  threads: number;
  /** Threads the neural engine's WASM provider (onnxruntime-web) runs on. */
  neuralThreads: number;
}

export type Stage =
  | 'models'
  | 'decode'
  | 'detect'
  | 'warp'
  | 'colour'
  | 'blend'
  | 'encode'
  | 'align'
  | 'embed'
  | 'swap'
  | 'restore'
  | 'paste';

/** Which engine swaps: the built-in mesh swap, or the neural (inswapper-class) models. */
export type EngineKind = 'builtin' | 'neural';

/** The neural engine's model masks: XSeg occlusion and BiSeNet face regions. */
export type ModelMaskKind = 'occlusion' | 'region';

/** Options of the neural engine a user sees. */
export interface NeuralOptions {
  /** Swap resolution: 128 is the model's own; 256 and 512 swap 2x2 or 4x4 space-to-depth tiles. */
  pixelBoost: 128 | 256 | 512;
  /** Face restoration blend, 0 (off) to 1; needs an enhancer model. */
  restore: number;
  /**
   * Model masks on top of the box mask (always on), any or all, each where its model is installed: the
   * paste takes the per-pixel minimum of the box mask and every chosen one (FaceFusion's face_masker).
   */
  masks: ModelMaskKind[];
}

/** What the neural engine can do with the models this browser has. */
export interface NeuralStatus {
  /** True when a swapper (with its emap) and an embedder are installed. */
  ready: boolean;
  /** The roles a swap still needs, in words for the UI when not ready. */
  missing: string[];
  models: { role: string; id: string; name: string; from: 'operator' | 'imported' }[];
  /** Whether restoration, occlusion and region masks are available. */
  restore: boolean;
  masks: ModelMaskKind[];
}

export interface Progress {
  stage: Stage;
  /** 0..1 over the whole job. */
  fraction: number;
  message: string;
}

export type ProgressCallback = (progress: Progress) => void;

/**
 * What an analysed photo costs at the least, in ms: the face models alone for the passes its
 * analysis made, and one copy of its pixels (the floor under a swap, which must write a frame).
 */
export interface AnalysisFloors {
  detector: number;
  mesh: number;
  copy: number;
}

/**
 * How many times each face and hand model ran. A face model or hand landmark pass reads back its
 * outputs once; a hand detector pass reads back more (its graph's dynamic ops, non-max suppression
 * among them, each read a small tensor to size the next).
 */
export interface ModelPasses {
  detector: number;
  mesh: number;
  /** The iris model's passes (eye, lid and brow points), one per detect or track with a face in reach. */
  eyes: number;
  handDetector: number;
  handLandmarks: number;
}

export interface FaceInfo {
  index: number;
  /** x, y, width, height in image pixels. */
  box: [number, number, number, number];
  score: number;
  /** In-plane rotation (roll) in degrees. */
  rollDeg: number;
  /** Left-right turn in degrees (0 frontal), from the mesh model's depth. */
  yawDeg?: number;
  /** 468 points, x0,y0,x1,y1,... in image pixels. */
  mesh: Float32Array;
  /** A small crop of the face for the picker (transferred). */
  thumbnail: ImageBitmap;
}

/** A hand found where it could cover a face: its keypoints, their box and the landmark model's score. */
export interface HandInfo {
  /** x, y, width, height in image pixels. */
  box: [number, number, number, number];
  /** 21 keypoints (wrist, then four per finger from the thumb), x0,y0,x1,y1,... in image pixels. */
  keypoints: number[];
  score: number;
}

export interface AnalyzeResult {
  imageId: string;
  width: number;
  height: number;
  faces: FaceInfo[];
  /** Hands around the faces: kept in front of the swap unless BlendOptions.hands is false. */
  hands: HandInfo[];
  /** Finding the faces (and the hands around them) and reading the pixels, once, when the photo is picked. */
  ms: { detect: number; hands: number };
  /** Detector and mesh model runs it took. */
  passes: ModelPasses;
}

/** A face of an analysed photo (or of the frame the app analysed), numbered as `analyze` numbers them. */
export interface FaceRef {
  imageId: string;
  face: number;
}

/**
 * Swapping by likeness (reference mode is one pair; face mapping several): a target face whose
 * descriptor is at least `threshold` similar to a pair's reference face gets that pair's source
 * face (the most similar reference wins); the others stay as they were. In GIFs, videos and live it
 * is decided once per followed face, on the frame where it is first found, so a face never flips.
 */
export interface FaceMapping {
  pairs: { source: FaceRef; reference: FaceRef }[];
  /** Cosine similarity of the faceres descriptors, 0..1. */
  threshold: number;
}

/** How one face was matched: the pair it got (null: left as it was) and its best similarity. */
export interface FaceMatch {
  /** The target face (photos), or the followed face in order of first appearance (GIF, video, live). */
  face: number;
  pair: number | null;
  similarity: number;
}

/** How to swap, whatever the target: engine, its options, the source face(s). */
export interface SwapOptions {
  sourceId: string;
  sourceFace: number;
  /** More source faces (neural engine): their identities are averaged with the first. */
  moreSources?: { sourceId: string; sourceFace: number }[];
  /** 'builtin' when omitted. */
  engine?: EngineKind;
  /** Neural engine options; defaults when omitted. */
  neural?: Partial<NeuralOptions>;
  blend: BlendOptions;
  /** Swap by likeness instead of by the chosen faces (`targetFaces` is then ignored). */
  mapping?: FaceMapping;
}

export interface SwapRequest extends SwapOptions {
  targetId: string;
  /** Indices into the target's faces; all of them when omitted. */
  targetFaces?: number[];
}

export interface AnimationSwapRequest extends SwapOptions {
  /** An animated GIF. */
  gif: Blob;
  /** Indices into the first frame's faces (numbered as `analyze` numbers them); all when omitted. */
  targetFaces?: number[];
}

/** How a GIF or video job's frames were run: engine, provider, faces followed, GPU residency. */
export interface FrameJobFacts {
  engine: EngineKind;
  provider?: 'webgpu' | 'wasm';
  /** Frames where the detector ran (keyframes) and frames followed by the mesh alone. */
  follow?: FollowCounts;
  /** True when the frames stayed on the GPU from decode to encode (the built-in engine on WebGPU). */
  residentFrames?: boolean;
  /** Per frame, when the engine was started with countReadbacks. */
  frameReadbacks?: FrameReadbacks[];
  /** Set when the GPU was lost midway, with the reason: the frames from then on ran on WASM. */
  gpuLost?: string;
  /** With a mapping: each followed face, in order of first appearance, with its pair and similarity. */
  matches?: FaceMatch[];
}

export interface AnimationSwapResult extends FrameJobFacts {
  /** The swapped animation: same frames, delays and loop count. */
  gif: Blob;
  width: number;
  height: number;
  frames: number;
  /** Extra plays after the first: 0 plays once, Infinity loops forever. */
  repetitionCount: number;
  /** Faces chosen in the first frame and tracked through the animation. */
  facesTracked: number;
  /** Frames where a tracked face was found and swapped (the others are kept as they were). */
  framesSwapped: number;
  /** Frames where a chosen face's track was not found, so its original pixels show if it was in view. */
  dropoutFrames: number;
  /** Milliseconds summed over frames: decode, detect, the engine's own stages, encode, total. */
  ms: Record<string, number>;
}

export interface SwapResult {
  resultId: string;
  width: number;
  height: number;
  /** The swapped image (transferred). */
  bitmap: ImageBitmap;
  facesSwapped: number;
  /**
   * Chosen faces the built-in engine left as they were (numbered as `analyze` numbers them), with the
   * reason: turned further from the camera than the limit (70° of yaw).
   */
  skipped?: SkippedFace[];
  /** One byte per pixel, 1 where the output may differ from the target. */
  touched: Uint8Array;
  /** Whether a source face used wears glasses: the eye zones then come from the target. */
  sourceGlasses: boolean;
  /**
   * Milliseconds per stage: warp, colour, blend (built-in); align, embed, swap, paste, and detect,
   * mask, restore when they ran (neural).
   */
  ms: Record<string, number>;
  /** Which engine and, for the neural one, which execution provider ran. */
  engine: EngineKind;
  provider?: 'webgpu' | 'wasm';
  /** Set when the swap had to change course (lost GPU: continued on WASM), in words for the UI. */
  notice?: string;
  /** With a mapping: every target face, with the pair it got (or null) and its similarity. */
  matches?: FaceMatch[];
}

/**
 * One chosen face's blend weight (built-in engine): where the swap applies, 0..255, over its box in
 * target pixels; 0 in what stays the target's (eyes, mouth, occluders, hands) and outside the face.
 */
export interface FaceMask {
  x: number;
  y: number;
  width: number;
  height: number;
  /** One byte per box pixel, row-major (transferred). */
  weight: Uint8Array;
}

export type ImageFormat = 'png' | 'jpeg';

/** What a video file holds, read from its container without decoding it. */
export interface VideoInfo {
  durationS: number;
  width: number;
  height: number;
  /** Average frames per second of the video track. */
  frameRate: number;
  /** Frames in the video track (estimated from the packet count). */
  frames: number;
  /** Codec of the video track, e.g. 'avc', 'vp9'; null when the browser cannot decode it. */
  videoCodec: string | null;
  /** Codec of the first audio track, or null when there is none. */
  audioCodec: string | null;
  /** Container, e.g. 'MP4', 'WebM', 'Matroska', 'QuickTime'. */
  container: string;
}

export type VideoContainer = 'mp4' | 'webm';
export type VideoQuality = 'low' | 'medium' | 'high';

export interface VideoSwapRequest extends SwapOptions {
  /** MP4, MOV, WebM or MKV: read in slices, never all at once. */
  video: Blob;
  /** Indices into the faces of the frame at the trim start (numbered as `analyze` numbers them); all when omitted. */
  targetFaces?: number[];
  /** Seconds; the whole video when omitted. */
  trim?: { startS: number; endS: number };
  /** MP4 is H.264 (AAC/Opus audio copied); WebM is VP9 (Opus/Vorbis audio copied). */
  container: VideoContainer;
  quality: VideoQuality;
  /** Name of the OPFS file (in the `video-output` directory) the result is streamed into. */
  outputName: string;
}

export interface VideoProgress extends Progress {
  framesDone: number;
  framesTotal: number;
  /** Frames swapped per second over the run so far. */
  fps: number;
  /** Seconds left at that rate; null before the first frames. */
  etaS: number | null;
  /** A processed frame, now and then (transferred; the receiver closes it). */
  preview?: ImageBitmap;
  /** Sent when the job is paused and its frame loop has stopped at the gate between frames. */
  held?: boolean;
}

export type VideoProgressCallback = (progress: VideoProgress) => void;

export interface VideoSwapResult extends FrameJobFacts {
  /** The OPFS file in `video-output` holding the finished video. */
  outputName: string;
  mimeType: string;
  bytes: number;
  frames: number;
  durationS: number;
  /** Frames per second of the output (the input's, kept). */
  frameRate: number;
  /** Frames swapped per second of processing. */
  fps: number;
  facesTracked: number;
  framesSwapped: number;
  /** Frames where a chosen face's track was not found, so its original pixels show if it was in view. */
  dropoutFrames: number;
  /** True when the audio track was copied into the output (no re-encode). */
  audioKept: boolean;
  /** Milliseconds summed over frames: decode, detect, the engine's stages, encode, total. */
  ms: Record<string, number>;
}

/** A live camera session: which source face, which engine. */
export interface LiveSessionRequest extends SwapOptions {
  /** Draw the output mirrored (a selfie view); faces are found in the unmirrored frame. */
  mirror?: boolean;
}

export interface LiveFrameResult {
  /** The swapped frame (transferred), or the original when no face was found. */
  bitmap: ImageBitmap;
  facesSwapped: number;
  /** Time inside the worker for this frame. */
  ms: number;
}

/** The engine worker's one interface; the client wraps it with AbortSignals. */
export interface EngineApi {
  init(settings: EngineSettings, onProgress?: ProgressCallback): Promise<EngineInfo>;
  /**
   * Takes ownership of the (transferred) bitmap and keeps it for later swaps under imageId. The hands
   * around its faces are looked for unless `options.hands` is false (a source photo needs none).
   */
  analyze(
    jobId: string,
    image: ImageBitmap,
    onProgress?: ProgressCallback,
    options?: { hands: boolean },
  ): Promise<AnalyzeResult>;
  swap(jobId: string, request: SwapRequest, onProgress?: ProgressCallback): Promise<SwapResult>;
  /** The built-in engine's blend weight for the request's chosen faces, without swapping (see FaceMask). */
  blendMask(request: SwapRequest): Promise<FaceMask[]>;
  /** Swaps every frame of an animated GIF; progress is frames done over frames in all. */
  swapAnimation(
    jobId: string,
    request: AnimationSwapRequest,
    onProgress?: ProgressCallback,
  ): Promise<AnimationSwapResult>;
  /** Reads a video file's tracks and duration. */
  videoInfo(video: Blob): Promise<VideoInfo>;
  /** The decoded frame at (or just before) timeS, for the face picker and the one-frame preview. */
  videoFrame(video: Blob, timeS: number): Promise<ImageBitmap>;
  /** Swaps every frame of a video into an OPFS file, copying its audio; pausable, cancellable. */
  swapVideo(
    jobId: string,
    request: VideoSwapRequest,
    onProgress?: VideoProgressCallback,
  ): Promise<VideoSwapResult>;
  /** Holds a running video job between frames until `resume`. */
  pause(jobId: string): void;
  resume(jobId: string): void;
  /** Starts tracking faces for a live session; frames are then swapped one at a time. */
  startLive(sessionId: string, request: LiveSessionRequest): Promise<void>;
  /** Swaps one camera frame (transferred and closed here) with the session's tracked faces. */
  swapLiveFrame(sessionId: string, frame: VideoFrame | ImageBitmap): Promise<LiveFrameResult>;
  stopLive(sessionId: string): void;
  /** Fault injection (settings.faultInjection): destroys the GPU device; false when there is none. */
  loseGpu(): Promise<boolean>;
  /** Which neural models are installed (operator manifest or imported into OPFS); re-read on each call. */
  neuralStatus(): Promise<NeuralStatus>;
  /**
   * Encodes a result with AI-edited metadata (IPTC DigitalSourceType in XMP) and Content Credentials
   * (a C2PA manifest signed on this device; CREDENTIALS_FAILED when that fails).
   */
  encode(resultId: string, format: ImageFormat, quality: number): Promise<Blob>;
  release(id: string): void;
  /** The benchmark's floors for an analysed photo (see AnalysisFloors). */
  analysisFloors(imageId: string): Promise<AnalysisFloors>;
  cancel(jobId: string): void;
}
