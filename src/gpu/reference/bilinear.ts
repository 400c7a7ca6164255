import type { RgbaImage } from '../types';

/**
 * Bilinear sample of an RGBA8 image at pixel coordinates (pixel centres at i + 0.5), clamped to the
 * edges, channels in 0..1. Writes r, g, b into out[offset..offset+2].
 */
export function sampleBilinear(
  image: RgbaImage,
  u: number,
  v: number,
  out: Float32Array,
  offset: number,
): void {
  const sx = Math.min(Math.max(u - 0.5, 0), image.width - 1);
  const sy = Math.min(Math.max(v - 0.5, 0), image.height - 1);
  const x0 = Math.floor(sx);
  const y0 = Math.floor(sy);
  const x1 = Math.min(x0 + 1, image.width - 1);
  const y1 = Math.min(y0 + 1, image.height - 1);
  const fx = sx - x0;
  const fy = sy - y0;
  const d = image.data;
  const i00 = (y0 * image.width + x0) * 4;
  const i10 = (y0 * image.width + x1) * 4;
  const i01 = (y1 * image.width + x0) * 4;
  const i11 = (y1 * image.width + x1) * 4;
  for (let c = 0; c < 3; c++) {
    const top = d[i00 + c]! + (d[i10 + c]! - d[i00 + c]!) * fx;
    const bottom = d[i01 + c]! + (d[i11 + c]! - d[i01 + c]!) * fx;
    out[offset + c] = (top + (bottom - top) * fy) / 255;
  }
}
