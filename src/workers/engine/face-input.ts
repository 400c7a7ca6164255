import type { ImageRegion, InputRange } from '../../gpu/reference/face-input';
import type { ResidentFrames } from '../../gpu/resident-frames';
import type { Tensor, Tf } from './face-models';
import { context } from './pixels';

export type { ImageRegion, InputRange };

/** An image the face models read: each model input is a region of it, scaled and turned upright. */
export interface FaceInput {
  readonly width: number;
  readonly height: number;
  /**
   * A [regions, size, size, 3] float32 tensor: each region resampled to size x size, black outside
   * the image, rgb (0..1) as rgb * scale + offset. The caller disposes it.
   */
  tensor(tf: Tf, regions: readonly ImageRegion[], size: number, range: InputRange): Promise<Tensor>;
}

/** One 2D context per input size and one float buffer per input length, shared by every canvas input of this worker. */
const contexts = new Map<number, OffscreenCanvasRenderingContext2D>();
const buffers = new Map<number, Float32Array>();

/**
 * A CPU image (bitmap or canvas) drawn region by region with the 2D canvas into the models' input:
 * only the regions' pixels are touched, the image is never converted whole.
 */
export class CanvasFaceInput implements FaceInput {
  readonly width: number;
  readonly height: number;

  constructor(private readonly image: ImageBitmap | OffscreenCanvas) {
    this.width = image.width;
    this.height = image.height;
  }

  tensor(tf: Tf, regions: readonly ImageRegion[], size: number, range: InputRange): Promise<Tensor> {
    let ctx = contexts.get(size);
    if (!ctx) {
      ctx = context(size, size);
      ctx.imageSmoothingQuality = 'high';
      contexts.set(size, ctx);
    }
    const plane = size * size * 3;
    let input = buffers.get(plane * regions.length);
    if (!input) {
      input = new Float32Array(plane * regions.length);
      buffers.set(input.length, input);
    }
    const { scale, offset } = range;
    const k = scale / 255;
    regions.forEach((region, n) => {
      const zoom = size / region.side;
      const cos = Math.cos(region.angle) * zoom;
      const sin = Math.sin(region.angle) * zoom;
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.fillStyle = '#000';
      ctx.fillRect(0, 0, size, size);
      // Image point p lands at R(-angle) (p - c) * zoom + size / 2.
      ctx.setTransform(
        cos,
        -sin,
        sin,
        cos,
        size / 2 - (cos * region.cx + sin * region.cy),
        size / 2 - (-sin * region.cx + cos * region.cy),
      );
      ctx.drawImage(this.image, 0, 0);
      const rgba = ctx.getImageData(0, 0, size, size).data;
      for (let i = 0, j = n * plane; i < rgba.length; i += 4, j += 3) {
        input[j] = rgba[i]! * k + offset;
        input[j + 1] = rgba[i + 1]! * k + offset;
        input[j + 2] = rgba[i + 2]! * k + offset;
      }
    });
    return Promise.resolve(tf.tensor4d(input, [regions.length, size, size, 3]));
  }
}

/**
 * The frame loaded in ResidentFrames: the inputs are resampled on the GPU (faceInputWgsl) into a
 * buffer that tfjs reads in place, so the frame's pixels never leave the GPU.
 */
export class GpuFaceInput implements FaceInput {
  constructor(
    private readonly frames: ResidentFrames,
    readonly width: number,
    readonly height: number,
  ) {}

  async tensor(tf: Tf, regions: readonly ImageRegion[], size: number, range: InputRange): Promise<Tensor> {
    const buffer = await this.frames.faceInput(regions, size, range);
    return tf.tensor({ buffer, zeroCopy: true }, [regions.length, size, size, 3], 'float32');
  }
}
