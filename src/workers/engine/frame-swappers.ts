import { MAX_HANDS } from '../../gpu/face-geometry';
import { ResidentFrames, type FrameSource } from '../../gpu/resident-frames';
import type { BlendOptions, FacePair, MeshTopology, RgbaImage } from '../../gpu/types';
import type { WebGpuSwapper } from '../../gpu/webgpu-swapper';
import type { FrameSwapper, SwapFrame, SwapTimes } from '../animation/frame-swapper';
import type { FrameReadbacks, ModelPasses } from './api';
import type { FaceDescriber } from './descriptors';
import type { DetectedFace } from './faces';
import type { FaceFollower } from './face-follower';
import { CanvasFaceInput, GpuFaceInput, type FaceInput } from './face-input';
import { handsOver } from './hand-outline';
import { readPixels, toBitmap } from './pixels';
import { readbacks } from './readback-count';

/**
 * Swaps faces in a frame's pixels with a job's source face and engine (the CPU path, and the neural
 * engine), with the outlines of the hands found in front of them.
 */
export type PixelSwap = (
  image: RgbaImage,
  faces: DetectedFace[],
  hands: readonly Float32Array[],
  signal: AbortSignal,
  sources?: readonly number[],
) => Promise<{ image: RgbaImage; times: SwapTimes }>;

/** The outlines (handOutline) of the hands that could cover these faces of a frame, found before it is swapped. */
export type HandLooker = (
  image: FaceInput,
  faces: readonly DetectedFace[],
  signal: AbortSignal,
) => Promise<Float32Array[]>;

/** What each frame of a job is followed, described and swapped with. */
export interface FrameTools {
  follower: FaceFollower;
  describer: FaceDescriber;
  swapPixels: PixelSwap;
  /** Looks for hands in front of the faces about to be swapped: null when hands are not kept. */
  hands: HandLooker | null;
}

/** What a job's frames stay on the GPU with: the WebGPU swapper and the source face. */
export interface ResidentParts {
  swapper: WebGpuSwapper;
  device: GPUDevice;
  photo: RgbaImage;
  sourceMesh: Float32Array;
  /** Whether the source wears glasses (its lens zones then come from the target). */
  sourceGlasses: boolean;
  topology: MeshTopology;
  blend: BlendOptions;
  /** False on software adapters, whose WebGPU canvas cannot present (see ResidentFrames). */
  canvasOutput: boolean;
}

/**
 * The swap's view of a face found in a photo or a frame: the source's mesh onto its mesh, with the
 * hands over it (of `hands`, the outlines found around the image's faces) and its track (so its
 * tone is smoothed over the frames) unless the options turn smoothing off.
 */
export function facePair(
  sourceMesh: Float32Array,
  sourceGlasses: boolean,
  face: DetectedFace,
  hands: readonly Float32Array[],
  blend: BlendOptions,
): FacePair {
  const track = blend.smoothing !== false ? face.track : undefined;
  return {
    source: sourceMesh,
    target: face.mesh,
    yawDeg: face.yawDeg,
    sourceGlasses,
    hands: handsOver(face.box, hands, MAX_HANDS),
    ...(track ? { track } : {}),
  };
}

/** The hands in front of `faces` in the frame, before it is swapped, and what looking took (none without a looker). */
async function handsBefore(
  look: HandLooker | null,
  input: FaceInput,
  faces: readonly DetectedFace[],
  signal: AbortSignal,
): Promise<{ outlines: Float32Array[]; times: SwapTimes }> {
  if (!look || faces.length === 0) return { outlines: [], times: {} };
  const started = performance.now();
  const outlines = await look(input, faces, signal);
  return { outlines, times: { hands: performance.now() - started } };
}

/** The RGBA pixels of a decoded video frame (WebCodecs converts them), and a bitmap of them to detect on. */
async function decodedPixels(frame: VideoFrame): Promise<{ pixels: RgbaImage; bitmap: ImageBitmap }> {
  const rect = frame.visibleRect;
  const width = rect?.width ?? frame.displayWidth;
  const height = rect?.height ?? frame.displayHeight;
  const data = new Uint8ClampedArray(width * height * 4);
  await frame.copyTo(data, { format: 'RGBA', colorSpace: 'srgb' });
  const bitmap = await createImageBitmap(new ImageData(data, width, height));
  return { pixels: { width, height, data }, bitmap };
}

/**
 * A frame in CPU memory: faces are found on a bitmap through the 2D canvas and swapped in its pixels.
 * A decoded video frame is copied out as pixels (drawing each decoded frame on a canvas instead made
 * the renderer's memory grow by about a frame per frame in Chromium).
 */
class PixelFrame implements SwapFrame {
  readonly resident = false;
  readonly width: number;
  readonly height: number;

  constructor(
    private readonly input: ImageBitmap,
    private image: RgbaImage | null,
    private readonly ownsInput: boolean,
    private readonly tools: FrameTools,
  ) {
    this.width = input.width;
    this.height = input.height;
  }

  static async open(source: FrameSource, tools: FrameTools): Promise<PixelFrame> {
    if (source instanceof ImageBitmap) return new PixelFrame(source, null, false, tools);
    const { pixels, bitmap } = await decodedPixels(source);
    return new PixelFrame(bitmap, pixels, true, tools);
  }

  detect(signal: AbortSignal): Promise<DetectedFace[]> {
    return this.tools.follower.next(new CanvasFaceInput(this.input), signal);
  }

  describe(faces: readonly DetectedFace[]): Promise<Float32Array[]> {
    return this.tools.describer.describe(new CanvasFaceInput(this.input), faces);
  }

  /** The hands are looked for in the frame as decoded (the input bitmap, which the swap leaves as it is). */
  async swap(faces: DetectedFace[], signal: AbortSignal, sources?: readonly number[]): Promise<SwapTimes> {
    const hands = await handsBefore(this.tools.hands, new CanvasFaceInput(this.input), faces, signal);
    const swapped = await this.tools.swapPixels(await this.pixels(), faces, hands.outlines, signal, sources);
    this.image = swapped.image;
    return { ...hands.times, ...swapped.times };
  }

  bitmap(): Promise<ImageBitmap> {
    return this.image ? toBitmap(this.image) : createImageBitmap(this.input);
  }

  pixels(): Promise<RgbaImage> {
    this.image ??= readPixels(this.input);
    return Promise.resolve(this.image);
  }

  close(): void {
    if (this.ownsInput) this.input.close();
  }
}

/** A frame kept on the GPU (ResidentFrames): found, swapped and handed on with nothing read back. */
class GpuFrame implements SwapFrame {
  readonly resident = true;
  /** The frame as last presented: later bitmaps of the same state are copies of it. */
  private shown: Promise<ImageBitmap> | null = null;

  constructor(
    private readonly frames: ResidentFrames,
    private readonly frame: Awaited<ReturnType<ResidentFrames['load']>>,
    private readonly parts: ResidentParts,
    private readonly tools: FrameTools,
  ) {}

  get width(): number {
    return this.frame.width;
  }
  get height(): number {
    return this.frame.height;
  }

  private input(): GpuFaceInput {
    return new GpuFaceInput(this.frames, this.width, this.height);
  }

  detect(signal: AbortSignal): Promise<DetectedFace[]> {
    return this.tools.follower.next(this.input(), signal);
  }

  describe(faces: readonly DetectedFace[]): Promise<Float32Array[]> {
    return this.tools.describer.describe(this.input(), faces);
  }

  /**
   * Resident frames have one source face (a mapping with several runs on pixels). The hands are
   * looked for before the swap changes the frame.
   */
  async swap(faces: DetectedFace[], signal: AbortSignal): Promise<SwapTimes> {
    const { swapper, sourceMesh, sourceGlasses, topology, blend } = this.parts;
    const hands = await handsBefore(this.tools.hands, this.input(), faces, signal);
    const pairs = faces.map((face) => facePair(sourceMesh, sourceGlasses, face, hands.outlines, blend));
    this.forget();
    return { ...hands.times, ...(await swapper.swapFrame(this.frame, pairs, topology, blend, signal)) };
  }

  async bitmap(): Promise<ImageBitmap> {
    this.shown ??= this.frames.present();
    return createImageBitmap(await this.shown);
  }

  private forget(): void {
    void this.shown?.then((bitmap) => bitmap.close());
    this.shown = null;
  }

  /** One readback of the whole frame: only the GIF encoder, which needs pixels, asks for it. */
  pixels(): Promise<RgbaImage> {
    return this.frames.readImage();
  }

  close(): void {
    this.forget();
  }
}

/** A frame that passes every call on to another; subclasses change some of them. */
export class WrappedFrame implements SwapFrame {
  constructor(protected inner: SwapFrame) {}
  get width(): number {
    return this.inner.width;
  }
  get height(): number {
    return this.inner.height;
  }
  get resident(): boolean {
    return this.inner.resident;
  }
  detect(signal: AbortSignal): Promise<DetectedFace[]> {
    return this.inner.detect(signal);
  }
  swap(faces: DetectedFace[], signal: AbortSignal, sources?: readonly number[]): Promise<SwapTimes> {
    return this.inner.swap(faces, signal, sources);
  }
  describe(faces: readonly DetectedFace[]): Promise<Float32Array[]> {
    return this.inner.describe(faces);
  }
  bitmap(): Promise<ImageBitmap> {
    return this.inner.bitmap();
  }
  pixels(): Promise<RgbaImage> {
    return this.inner.pixels();
  }
  close(): void {
    this.inner.close();
  }
}

/** A frame that reports when it is closed (readback counting). */
class CountedFrame extends WrappedFrame {
  constructor(
    frame: SwapFrame,
    private readonly closed: () => void,
  ) {
    super(frame);
  }
  override close(): void {
    super.close();
    this.closed();
  }
}

/**
 * A job's frames: kept on the GPU from decode to encode when the built-in engine runs on WebGPU
 * (`resident`), else in CPU memory. With `counted` (readback counting on), each frame's readbacks
 * and model passes, from open to close, are pushed to it. Close the swapper when the job ends.
 */
export function createFrameSwapper(
  tools: FrameTools,
  resident: ResidentParts | null,
  counted?: FrameReadbacks[],
  passes?: { takePasses(): ModelPasses },
): FrameSwapper & { close(): void } {
  const frameReadbacks = () => frames?.frameReadbacks ?? 0;
  const frames = resident && new ResidentFrames(resident.device, resident.canvasOutput);
  const open = async (source: FrameSource): Promise<SwapFrame> => {
    if (!frames || !resident) return PixelFrame.open(source, tools);
    return new GpuFrame(frames, await frames.load(source, resident.photo), resident, tools);
  };
  return {
    open: async (source) => {
      const before = readbacks();
      const framesBefore = frameReadbacks();
      passes?.takePasses();
      const frame = await open(source);
      if (!counted || !passes || before === null) return frame;
      return new CountedFrame(frame, () =>
        counted.push({
          readbacks: (readbacks() ?? 0) - before,
          ...passes.takePasses(),
          frame: frameReadbacks() - framesBefore,
        }),
      );
    },
    close: () => frames?.destroy(),
  };
}
