import type { RgbaImage } from '../../gpu/types';

/** A 2D context whose pixels are read back often (getImageData). */
export function context(width: number, height: number): OffscreenCanvasRenderingContext2D {
  const ctx = new OffscreenCanvas(width, height).getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('OffscreenCanvas 2d context is unavailable');
  return ctx;
}

/** The bitmap's RGBA bytes. */
export function readPixels(bitmap: ImageBitmap): RgbaImage {
  const ctx = context(bitmap.width, bitmap.height);
  ctx.drawImage(bitmap, 0, 0);
  const { data } = ctx.getImageData(0, 0, bitmap.width, bitmap.height);
  return { width: bitmap.width, height: bitmap.height, data };
}

function toImageData(image: RgbaImage): ImageData {
  return new ImageData(new Uint8ClampedArray(image.data), image.width, image.height);
}

export function toBitmap(image: RgbaImage): Promise<ImageBitmap> {
  return createImageBitmap(toImageData(image), { premultiplyAlpha: 'none', colorSpaceConversion: 'none' });
}

/** Encodes the pixels as PNG (lossless) or JPEG. */
export async function encodePixels(
  image: RgbaImage,
  type: 'image/png' | 'image/jpeg',
  quality: number,
): Promise<Uint8Array> {
  const ctx = context(image.width, image.height);
  ctx.putImageData(toImageData(image), 0, 0);
  const blob = await ctx.canvas.convertToBlob({ type, quality });
  return new Uint8Array(await blob.arrayBuffer());
}

/** A small square crop around a face box, for the face picker. */
export function thumbnail(
  bitmap: ImageBitmap,
  box: [number, number, number, number],
  size = 96,
): Promise<ImageBitmap> {
  const side = Math.max(box[2], box[3]) * 1.4;
  const cx = box[0] + box[2] / 2;
  const cy = box[1] + box[3] / 2;
  const ctx = context(size, size);
  ctx.fillStyle = '#000';
  ctx.fillRect(0, 0, size, size);
  ctx.drawImage(bitmap, cx - side / 2, cy - side / 2, side, side, 0, 0, size, size);
  return createImageBitmap(ctx.canvas);
}
