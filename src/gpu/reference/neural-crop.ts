import type { Affine } from '../affine';
import type { RgbaImage } from '../types';

/** A per-channel value, or one value for all three channels. */
export type ChannelValues = number | readonly [number, number, number];

export interface CropParams {
  /** Maps crop-grid coordinates (gx, gy) to image pixel coordinates. */
  toImage: Affine;
  /** Output side in pixels (the tensor is 3 x size x size values). */
  size: number;
  /** 'nchw' (default): 3 planes of size x size; 'nhwc': size x size pixels of 3 channels each. */
  layout?: 'nchw' | 'nhwc';
  /** Tensor channel order BGR instead of RGB (default false). */
  bgr?: boolean;
  /**
   * Space-to-depth sampling: output pixel (x,y) reads crop-grid point (x*step + phaseX, y*step + phaseY).
   * step 1, phase 0,0 = plain crop.
   */
  step: number;
  phaseX: number;
  phaseY: number;
  /**
   * value = sample(channel in 0..255) * scale + offset, e.g. 1/255,0 (swapper); 1/127.5,-1 (ArcFace,
   * GFPGAN); 1/128,-127.5/128 (SCRFD). A 3-tuple gives each tensor channel (after the bgr swap) its own
   * value: meanStdNormalisation turns BiSeNet's ImageNet mean/std into these.
   */
  scale: ChannelValues;
  offset: ChannelValues;
  /**
   * Outside the image: 'replicate' the edge pixel (aligned face crops), or 'zero' (the pixel value 0
   * before scale/offset: SCRFD's letterbox).
   */
  border: 'replicate' | 'zero';
}

/** A plain crop (no space-to-depth) of an aligned face, edges replicated, as the neural swap cuts them. */
export const alignedCrop = (
  toImage: CropParams['toImage'],
  size: number,
  scale: ChannelValues,
  offset: ChannelValues,
): CropParams => ({ toImage, size, step: 1, phaseX: 0, phaseY: 0, scale, offset, border: 'replicate' });

/** The three channels' values of a ChannelValues. */
export function channelValues(v: ChannelValues): readonly [number, number, number] {
  return typeof v === 'number' ? [v, v, v] : v;
}

/**
 * Scale and offset for (x / 255 - mean_c) / std_c: scale_c = 1 / (255 std_c), offset_c = -mean_c / std_c.
 */
export function meanStdNormalisation(
  mean: readonly [number, number, number],
  std: readonly [number, number, number],
): Pick<CropParams, 'scale' | 'offset'> {
  const scale = std.map((s) => 1 / (255 * s)) as [number, number, number];
  const offset = mean.map((m, c) => -m / std[c]!) as [number, number, number];
  return { scale, offset };
}

/** Index of channel c of pixel o (y * size + x) in a tensor of `plane` pixels in this layout. */
export function tensorIndex(layout: CropParams['layout'], plane: number, o: number, c: number): number {
  return layout === 'nhwc' ? o * 3 + c : c * plane + o;
}

/** Throws unless the crop parameters describe a non-empty integer grid. */
export function checkCropParams(p: CropParams): void {
  const integers = [p.size, p.step, p.phaseX, p.phaseY];
  if (!integers.every(Number.isInteger) || p.size < 1 || p.step < 1 || p.phaseX < 0 || p.phaseY < 0) {
    throw new RangeError(`crop size, step and phases must be integers (size, step >= 1, phases >= 0)`);
  }
}

/**
 * Samples `image` on the crop grid as OpenCV's warpAffine does (pixel (x, y) centred at integer
 * (x, y), bilinear on RGB, alpha ignored) and returns the 3 x size x size tensor in the requested
 * layout and channel order.
 */
export function cropReference(image: RgbaImage, p: CropParams): Float32Array {
  checkCropParams(p);
  const { width, height, data } = image;
  const plane = p.size * p.size;
  const out = new Float32Array(3 * plane);
  const [a, b, c, d, e, f] = p.toImage;
  const zero = p.border === 'zero';
  const rgb = [0, 0, 0];
  const scale = channelValues(p.scale);
  const offset = channelValues(p.offset);
  const source = p.bgr ? [2, 1, 0] : [0, 1, 2];
  const addTap = (xi: number, yi: number, weight: number) => {
    if (zero && (xi < 0 || yi < 0 || xi >= width || yi >= height)) return;
    const i = (Math.min(Math.max(yi, 0), height - 1) * width + Math.min(Math.max(xi, 0), width - 1)) * 4;
    for (let ch = 0; ch < 3; ch++) rgb[ch]! += weight * data[i + ch]!;
  };
  for (let y = 0; y < p.size; y++) {
    const gy = y * p.step + p.phaseY;
    for (let x = 0; x < p.size; x++) {
      const gx = x * p.step + p.phaseX;
      const ix = a * gx + b * gy + c;
      const iy = d * gx + e * gy + f;
      const x0 = Math.floor(ix);
      const y0 = Math.floor(iy);
      const fx = ix - x0;
      const fy = iy - y0;
      rgb.fill(0);
      addTap(x0, y0, (1 - fx) * (1 - fy));
      addTap(x0 + 1, y0, fx * (1 - fy));
      addTap(x0, y0 + 1, (1 - fx) * fy);
      addTap(x0 + 1, y0 + 1, fx * fy);
      const o = y * p.size + x;
      for (let ch = 0; ch < 3; ch++) {
        out[tensorIndex(p.layout, plane, o, ch)] = rgb[source[ch]!]! * scale[ch]! + offset[ch]!;
      }
    }
  }
  return out;
}
