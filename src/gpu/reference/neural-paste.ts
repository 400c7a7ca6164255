import { invertAffine, type Affine } from '../affine';
import type { RgbaImage } from '../types';
import { erf } from './erf';
import { handHolesValue, packHands, type HandHoles } from './hand-holes';

export interface BoxMask {
  /** FaceFusion defaults: blur 0.3, padding [0,0,0,0] (top,right,bottom,left, percent of the crop side). */
  blur: number;
  padding: readonly [number, number, number, number];
}

export interface PasteParams {
  /** Maps frame pixel coordinates to crop-grid coordinates (the forward alignment transform). */
  toCrop: Affine;
  /** Crop side (the merged output, e.g. 128, 256, 512). */
  size: number;
  /** colour (0..255) = clamp(value * outScale + outOffset, 0, 255): 255,0 for the swapper; 127.5,127.5 for GFPGAN. */
  outScale: number;
  outOffset: number;
  mask: BoxMask;
  /**
   * Model masks (occlusion and/or region, each side x side in 0..1, e.g. 256 and 512) over the same
   * crop square, at most MAX_MODEL_MASKS: the effective mask is the minimum of the box mask and each
   * model mask sampled bilinearly at the crop point, as FaceFusion combines masks
   * (numpy.minimum.reduce). Their values are passed beside the parameters, in the same order.
   */
  modelMasks?: readonly { side: number }[];
  /**
   * Hands in front of the face, in frame pixels: the mask is also min'd with their holes
   * (handHolesValue: 0 inside a hand, feathered outwards), so what the hand covers keeps the frame.
   */
  hands?: HandHoles;
  /** Multiplies the mask (face restoration's blend amount; 1 for the swap). */
  amount: number;
  /**
   * Frame region to process, x,y,w,h, integer, already clipped to the frame: the bounding box of the
   * crop square mapped into the frame, plus one pixel.
   */
  region: readonly [number, number, number, number];
}

/**
 * The box mask's ones as continuous intervals [x0, x1] x [y0, y1] in crop coordinates, and the
 * Gaussian's sigma (0: no blur). FaceFusion's create_static_box_mask zeroes max(blur_area, padding)
 * rows or columns at each edge, then blurs with sigma = blur_amount / 4.
 */
export interface BoxMaskEdges {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
  sigma: number;
}

export function boxMaskEdges(size: number, mask: BoxMask): BoxMaskEdges {
  const blurAmount = Math.trunc(size * 0.5 * mask.blur);
  const blurArea = Math.max(Math.floor(blurAmount / 2), 1);
  const [top, right, bottom, left] = mask.padding.map((percent) =>
    Math.max(blurArea, Math.trunc((size * percent) / 100)),
  ) as [number, number, number, number];
  // Pixels lo..hi are ones; as a continuous interval they cover [lo - 0.5, hi + 0.5].
  return {
    x0: left - 0.5,
    x1: size - right - 0.5,
    y0: top - 0.5,
    y1: size - bottom - 0.5,
    sigma: blurAmount * 0.25,
  };
}

/** The blurred box along one axis: the Gaussian's mass over [lo, hi], clamped to [0, 1]. */
function boxProfile(t: number, lo: number, hi: number, sigma: number): number {
  if (sigma === 0) return t >= lo && t <= hi ? 1 : 0;
  const k = 1 / (sigma * Math.SQRT2);
  return Math.min(Math.max(0.5 * (erf((t - lo) * k) - erf((t - hi) * k)), 0), 1);
}

/**
 * FaceFusion's static box mask at crop coordinates (u, v), computed analytically: a Gaussian-blurred
 * box is separable, so no blur pass is needed. 0 outside the crop square [-0.5, size - 0.5]^2, as
 * warpAffine's constant border gives.
 */
export function boxMaskValue(u: number, v: number, size: number, mask: BoxMask): number {
  return boxMaskAt(u, v, size, boxMaskEdges(size, mask));
}

function boxMaskAt(u: number, v: number, size: number, edges: BoxMaskEdges): number {
  const outside = u < -0.5 || v < -0.5 || u > size - 0.5 || v > size - 0.5;
  if (outside) return 0;
  const { x0, x1, y0, y1, sigma } = edges;
  return Math.min(boxProfile(u, x0, x1, sigma) * boxProfile(v, y0, y1, sigma), 1);
}

/**
 * A side x side model mask at crop coordinates (u, v) of a size-px crop: bilinear at
 * ((u + 0.5) * side / size - 0.5, (v + 0.5) * side / size - 0.5), border replicated.
 */
export function modelMaskValue(mask: Float32Array, side: number, size: number, u: number, v: number): number {
  const last = side - 1;
  const su = Math.min(Math.max(((u + 0.5) * side) / size - 0.5, 0), last);
  const sv = Math.min(Math.max(((v + 0.5) * side) / size - 0.5, 0), last);
  const u0 = Math.floor(su);
  const v0 = Math.floor(sv);
  const u1 = Math.min(u0 + 1, last);
  const v1 = Math.min(v0 + 1, last);
  const fu = su - u0;
  const fv = sv - v0;
  const top = mask[v0 * side + u0]! + (mask[v0 * side + u1]! - mask[v0 * side + u0]!) * fu;
  const bottom = mask[v1 * side + u0]! + (mask[v1 * side + u1]! - mask[v1 * side + u0]!) * fu;
  return top + (bottom - top) * fv;
}

/** The most model masks one paste takes: the occlusion and the region mask. */
export const MAX_MODEL_MASKS = 2;

/**
 * Throws unless the masks' value counts (`floats`, in order) match the side x side masks
 * PasteParams.modelMasks announces, one for one, and there are at most MAX_MODEL_MASKS.
 */
export function checkModelMasks(p: PasteParams, floats: readonly number[]): void {
  const sides = p.modelMasks?.map((mask) => mask.side) ?? [];
  if (sides.length !== floats.length) {
    throw new RangeError(`PasteParams.modelMasks announces ${sides.length} masks, ${floats.length} given`);
  }
  if (sides.length > MAX_MODEL_MASKS) {
    throw new RangeError(`a paste takes at most ${MAX_MODEL_MASKS} model masks, got ${sides.length}`);
  }
  sides.forEach((side, i) => {
    const count = floats[i]!;
    if (!Number.isInteger(side) || side < 1 || count < side * side) {
      throw new RangeError(`model mask of side ${side} needs ${side * side} values, has ${count}`);
    }
  });
}

/** The frame region a paste covers: the crop square mapped into the frame, grown by a pixel, clipped. */
export function pasteRegion(
  toCrop: Affine,
  size: number,
  width: number,
  height: number,
): [number, number, number, number] {
  const [a, b, c, d, e, f] = invertAffine(toCrop);
  const xs: number[] = [];
  const ys: number[] = [];
  for (const u of [-0.5, size - 0.5]) {
    for (const v of [-0.5, size - 0.5]) {
      xs.push(a * u + b * v + c);
      ys.push(d * u + e * v + f);
    }
  }
  const left = Math.max(Math.floor(Math.min(...xs)) - 1, 0);
  const top = Math.max(Math.floor(Math.min(...ys)) - 1, 0);
  const right = Math.min(Math.ceil(Math.max(...xs)) + 1, width - 1);
  const bottom = Math.min(Math.ceil(Math.max(...ys)) + 1, height - 1);
  return [left, top, Math.max(right - left + 1, 0), Math.max(bottom - top + 1, 0)];
}

/** Throws unless the paste region is whole pixels inside a width x height frame. */
export function checkPasteRegion(region: PasteParams['region'], width: number, height: number): void {
  const [x, y, w, h] = region;
  const whole = region.every(Number.isInteger) && w >= 0 && h >= 0;
  if (!whole || x < 0 || y < 0 || x + w > width || y + h > height) {
    throw new RangeError(`paste region ${region.join(',')} is not inside the ${width}x${height} frame`);
  }
}

/**
 * Blends a planar RGB crop (3 x size x size) back into `frame` in place: per pixel of the region,
 * m = box mask at toCrop(x, y), min'd with modelMaskValue of each of `modelMasks` and with the hand
 * holes (handHolesValue), times amount;
 * where m > 0 the crop is sampled bilinearly (replicate border) at that point, mapped to 0..255 and
 * mixed as round(m * crop + (1 - m) * frame), alpha kept, and touched[y * width + x] set. Pixels with
 * m <= 0 are not written.
 */
export function pasteReference(
  frame: RgbaImage,
  crop: Float32Array,
  p: PasteParams,
  touched?: Uint8Array,
  modelMasks: readonly Float32Array[] = [],
): void {
  const { size } = p;
  checkModelMasks(
    p,
    modelMasks.map((mask) => mask.length),
  );
  const sides = p.modelMasks?.map((mask) => mask.side) ?? [];
  const plane = size * size;
  if (crop.length < 3 * plane) throw new RangeError(`expected a 3 x ${size} x ${size} crop`);
  checkPasteRegion(p.region, frame.width, frame.height);
  const edges = boxMaskEdges(size, p.mask);
  const hands = packHands(p.hands);
  const [a, b, c, d, e, f] = p.toCrop;
  const [rx, ry, rw, rh] = p.region;
  const last = size - 1;
  for (let y = ry; y < ry + rh; y++) {
    for (let x = rx; x < rx + rw; x++) {
      const u = a * x + b * y + c;
      const v = d * x + e * y + f;
      let mask = boxMaskAt(u, v, size, edges);
      for (let k = 0; k < modelMasks.length && mask > 0; k++) {
        mask = Math.min(mask, modelMaskValue(modelMasks[k]!, sides[k]!, size, u, v));
      }
      if (mask > 0) mask = Math.min(mask, handHolesValue(x, y, hands));
      const m = mask * p.amount;
      if (!(m > 0)) continue;
      const su = Math.min(Math.max(u, 0), last);
      const sv = Math.min(Math.max(v, 0), last);
      const u0 = Math.floor(su);
      const v0 = Math.floor(sv);
      const u1 = Math.min(u0 + 1, last);
      const v1 = Math.min(v0 + 1, last);
      const fu = su - u0;
      const fv = sv - v0;
      const i = (y * frame.width + x) * 4;
      for (let ch = 0; ch < 3; ch++) {
        const o = ch * plane;
        const top = crop[o + v0 * size + u0]! + (crop[o + v0 * size + u1]! - crop[o + v0 * size + u0]!) * fu;
        const bottom =
          crop[o + v1 * size + u0]! + (crop[o + v1 * size + u1]! - crop[o + v1 * size + u0]!) * fu;
        const colour = Math.min(Math.max((top + (bottom - top) * fv) * p.outScale + p.outOffset, 0), 255);
        frame.data[i + ch] = Math.floor(m * colour + (1 - m) * frame.data[i + ch]! + 0.5);
      }
      if (touched) touched[y * frame.width + x] = 1;
    }
  }
}
