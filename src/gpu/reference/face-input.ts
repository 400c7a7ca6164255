import type { RgbaImage } from '../types';

/** A square of `side` image pixels around (cx, cy), its x axis turned by `angle` radians in the image. */
export interface ImageRegion {
  cx: number;
  cy: number;
  side: number;
  angle: number;
}

/** How a face model wants its pixel values: rgb in 0..1 times scale plus offset. */
export interface InputRange {
  scale: number;
  offset: number;
}

/** Image pixels per input pixel, at most this many samples a side are averaged. */
const MAX_SAMPLES = 8;

/** The region as the kernel reads it: centre, then k cos(angle), k sin(angle) for k image pixels per input pixel. */
export function packRegion(region: ImageRegion, size: number): [number, number, number, number] {
  const k = region.side / size;
  return [region.cx, region.cy, k * Math.cos(region.angle), k * Math.sin(region.angle)];
}

function texel(image: RgbaImage, x: number, y: number, c: number): number {
  if (x < 0 || y < 0 || x >= image.width || y >= image.height) return 0;
  return image.data[(y * image.width + x) * 4 + c]! / 255;
}

function bilinear(image: RgbaImage, px: number, py: number, c: number): number {
  const qx = px - 0.5;
  const qy = py - 0.5;
  const x = Math.floor(qx);
  const y = Math.floor(qy);
  const tx = qx - x;
  const ty = qy - y;
  const top = texel(image, x, y, c) * (1 - tx) + texel(image, x + 1, y, c) * tx;
  const bottom = texel(image, x, y + 1, c) * (1 - tx) + texel(image, x + 1, y + 1, c) * tx;
  return top * (1 - ty) + bottom * ty;
}

/**
 * The TypeScript twin of faceInputWgsl: a [regions, size, size, 3] tensor where input pixel (x, y)
 * of region r averages n x n bilinear samples over its footprint in the image (n = ceil of image
 * pixels per input pixel, at most 8), black outside the image, as rgb * scale + offset.
 */
export function faceInput(
  image: RgbaImage,
  regions: readonly ImageRegion[],
  size: number,
  range: InputRange,
): Float32Array {
  const out = new Float32Array(regions.length * size * size * 3);
  const half = size / 2;
  regions.forEach((region, r) => {
    const [cx, cy, kc, ks] = packRegion(region, size);
    const n = Math.min(Math.max(Math.ceil(Math.hypot(kc, ks) - 1e-4), 1), MAX_SAMPLES);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const o = ((r * size + y) * size + x) * 3;
        for (let c = 0; c < 3; c++) {
          let sum = 0;
          for (let sy = 0; sy < n; sy++) {
            for (let sx = 0; sx < n; sx++) {
              const u = x + (sx + 0.5) / n - half;
              const v = y + (sy + 0.5) / n - half;
              sum += bilinear(image, cx + kc * u - ks * v, cy + ks * u + kc * v, c);
            }
          }
          out[o + c] = (sum / (n * n)) * range.scale + range.offset;
        }
      }
    }
  });
  return out;
}
