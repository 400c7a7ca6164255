/**
 * Masks from the masker models' outputs, as FaceFusion's face_masker.py builds them
 * (create_occlusion_mask, create_region_mask): a 0..1 map on the model's grid, a Gaussian blur of
 * sigma 5, then (clamp(b, 0.5, 1) - 0.5) * 2. FaceFusion resizes the map to the crop before blurring
 * and blurs with OpenCV's defaults (radius 4 sigma, reflect-101 border); here the blur runs on the
 * model's grid (256 for XSeg, 512 for BiSeNet) with radius ceil(3 sigma) and a replicated border, and
 * the paste samples the result bilinearly.
 */

/** FaceFusion's face_mask_region_set: BiSeNet (CelebAMask-HQ) class of each selectable region. */
export const FACE_MASK_REGIONS = {
  skin: 1,
  'left-eyebrow': 2,
  'right-eyebrow': 3,
  'left-eye': 4,
  'right-eye': 5,
  glasses: 6,
  nose: 10,
  mouth: 11,
  'upper-lip': 12,
  'lower-lip': 13,
} as const;
export type FaceMaskRegion = keyof typeof FACE_MASK_REGIONS;

/** FaceFusion's default face_mask_regions: every region of the set. */
export const DEFAULT_REGION_CLASSES: readonly number[] = Object.values(FACE_MASK_REGIONS);

/** BiSeNet's output planes (1 x 19 x 512 x 512 logits). */
export const REGION_CLASS_COUNT = 19;

export const MASK_BLUR_SIGMA = 5;

/** The normalised Gaussian's weights w[0..r] (w[-i] = w[i]) for radius r = ceil(3 sigma). */
export function gaussianWeights(sigma: number): number[] {
  const radius = Math.ceil(3 * sigma);
  const raw = Array.from({ length: radius + 1 }, (_, i) => Math.exp(-(i * i) / (2 * sigma * sigma)));
  const total = raw.reduce((sum, w, i) => sum + (i === 0 ? w : 2 * w), 0);
  return raw.map((w) => w / total);
}

/** Region classes as the GPU takes them: bit c set for class c. */
export function regionBits(classes: readonly number[]): number {
  return classes.reduce((bits, c) => {
    if (!Number.isInteger(c) || c < 0 || c >= REGION_CLASS_COUNT) {
      throw new RangeError(`region class ${c} is not one of BiSeNet's 0..${REGION_CLASS_COUNT - 1}`);
    }
    return (bits | (1 << c)) >>> 0;
  }, 0);
}

function checkLength(values: Float32Array, expected: number, what: string): void {
  if (values.length < expected) throw new RangeError(`expected ${expected} ${what}, got ${values.length}`);
}

/** One blur pass along x (axis 0) or y (axis 1) of a side x side map, border replicated. */
function blurAxis(map: Float32Array, side: number, axis: 0 | 1, weights: readonly number[]): Float32Array {
  const out = new Float32Array(side * side);
  const last = side - 1;
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      let sum = weights[0]! * map[y * side + x]!;
      for (let i = 1; i < weights.length; i++) {
        const lo = axis === 0 ? y * side + Math.max(x - i, 0) : Math.max(y - i, 0) * side + x;
        const hi = axis === 0 ? y * side + Math.min(x + i, last) : Math.min(y + i, last) * side + x;
        sum += weights[i]! * (map[lo]! + map[hi]!);
      }
      out[y * side + x] = sum;
    }
  }
  return out;
}

/** Blurs a 0..1 map (sigma 5, separable, x then y) and maps it by (clamp(b, 0.5, 1) - 0.5) * 2. */
function finishMask(map: Float32Array, side: number): Float32Array {
  const weights = gaussianWeights(MASK_BLUR_SIGMA);
  const blurred = blurAxis(blurAxis(map, side, 0, weights), side, 1, weights);
  return blurred.map((b) => (Math.min(Math.max(b, 0.5), 1) - 0.5) * 2);
}

/** XSeg's side x side output (NHWC, one channel) to the occlusion mask: clamp to [0, 1], then finishMask. */
export function occlusionMaskReference(output: Float32Array, side: number): Float32Array {
  checkLength(output, side * side, 'occlusion values');
  return finishMask(
    output.subarray(0, side * side).map((v) => Math.min(Math.max(v, 0), 1)),
    side,
  );
}

/**
 * BiSeNet's 19 x side x side logits to the region mask: per pixel 1 where the argmax class (the first
 * on ties, as numpy's) is one of `classes`, else 0, then finishMask.
 */
export function regionMaskReference(
  logits: Float32Array,
  side: number,
  classes: readonly number[],
): Float32Array {
  const plane = side * side;
  checkLength(logits, REGION_CLASS_COUNT * plane, 'logits');
  const bits = regionBits(classes);
  const map = new Float32Array(plane);
  for (let o = 0; o < plane; o++) {
    let best = 0;
    for (let c = 1; c < REGION_CLASS_COUNT; c++)
      if (logits[c * plane + o]! > logits[best * plane + o]!) best = c;
    map[o] = (bits >>> best) & 1;
  }
  return finishMask(map, side);
}
