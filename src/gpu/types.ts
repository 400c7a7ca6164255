import type { BlendOptions } from '../shared/blend';

export type { BlendOptions };

/** RGBA8 pixels, row-major, 4 bytes per pixel, straight (not premultiplied) alpha. */
export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

/**
 * Which mesh vertices form which facial region. Indices point into a mesh's point list.
 * Polygons are closed loops given in order (first point is not repeated at the end).
 */
export interface MeshTopology {
  /** Triangle vertex indices, 3 per triangle. */
  triangles: Uint32Array;
  /** Outer face contour (the face oval): the swap region. */
  oval: readonly number[];
  /** Inner lip contour: the mouth interior kept from the target when keepMouth is set. */
  mouth: readonly number[];
  leftEye: readonly number[];
  rightEye: readonly number[];
  /** Outer lip contour: with the eye zones, where the occlusion test does not apply (lips are not skin). */
  lips: readonly number[];
  /** Points on the cheeks, forehead, nose and chin whose colour is the face's own skin. */
  skin: readonly number[];
  /**
   * Per point, its counterpart on the other half of the face (itself on the midline): where the
   * source does not show a side of the face, that side is filled from the mirrored half.
   */
  mirror: readonly number[];
}

/** One face to replace: the same topology, points in the pixel coordinates of their own image. */
export interface FacePair {
  /** Source mesh points, x0,y0,x1,y1,... in source image pixels. */
  source: Float32Array;
  /** Target mesh points, x0,y0,x1,y1,... in target image pixels. */
  target: Float32Array;
  /** The target face's yaw in degrees (0 frontal), when known: a face turned too far is skipped. */
  yawDeg?: number;
  /** The source face wears glasses: the eye zones (lens-sized) are then kept from the target. */
  sourceGlasses?: boolean;
  /**
   * Outlines of the hands that may cover the target face: closed polygons (x, y pairs in target
   * pixels), already grown by a finger's width. Kept from the target unless BlendOptions.hands is false.
   */
  hands?: readonly Float32Array[];
  /**
   * In a video or live session, the face's track and the seconds since its last frame (0: a new
   * track): its tone statistics are smoothed over the track's frames.
   */
  track?: FaceTrack;
}

/** A followed face's identity across frames and the time since its last frame. */
export interface FaceTrack {
  id: number;
  dt: number;
}

/** A face the swap left as it was, and why (in words for the UI). */
export interface SkippedFace {
  /** Index into the faces given to the swap. */
  face: number;
  reason: string;
}

export interface StageTimes {
  warp: number;
  colour: number;
  blend: number;
}

export interface SwapOutput {
  image: RgbaImage;
  /** One byte per pixel: 1 where the output may differ from the target (blend mask > 0), else 0. */
  touched: Uint8Array;
  /** Milliseconds per stage, summed over faces. */
  times: StageTimes;
  /** Faces left unchanged (turned too far from the camera). */
  skipped: SkippedFace[];
}

/** The built-in swap: the TypeScript reference (CPU) and the WebGPU implementation share this interface. */
export interface MeshSwapper {
  readonly kind: 'webgpu' | 'cpu';
  swap(
    source: RgbaImage,
    target: RgbaImage,
    faces: readonly FacePair[],
    topology: MeshTopology,
    options: BlendOptions,
    signal?: AbortSignal,
    /** Called after each face is done, with the number done and the total. */
    onFaceDone?: (done: number, total: number) => void,
  ): Promise<SwapOutput>;
  dispose(): void;
}
