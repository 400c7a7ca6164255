import { imageSize } from 'image-size';
import { defaultConfig } from './config';
import { DoppelError } from './errors';

const supported = new Set(['jpg', 'png', 'webp', 'gif', 'bmp', 'avif', 'heif']);

/** The checks that need only the pixel dimensions (also used by the worker on what it receives). */
export function checkImageSize(width: number, height: number, limits = defaultConfig.limits): void {
  if (width * height > limits.maxPixels || Math.max(width, height) > limits.maxSide) {
    const megapixels = Math.round(limits.maxPixels / 1e6);
    throw new DoppelError(
      'IMAGE_TOO_LARGE',
      `This image is ${width}×${height} pixels; Doppel accepts up to ${megapixels} megapixels and ${limits.maxSide} pixels per side. Downscale it and try again.`,
      { width, height },
    );
  }
}

/**
 * Reads a user's file into an ImageBitmap: rejects empty files, non-images and oversized images
 * from the header alone (before decoding), then decodes with EXIF orientation applied and no
 * colour-space conversion, so pixels are the file's own.
 */
export async function decodeImageFile(file: Blob, limits = defaultConfig.limits): Promise<ImageBitmap> {
  if (file.size === 0) throw new DoppelError('EMPTY_FILE');
  const head = new Uint8Array(await file.slice(0, 512 * 1024).arrayBuffer());
  let dims: { width?: number; height?: number; type?: string };
  try {
    dims = imageSize(head);
  } catch {
    throw new DoppelError('UNSUPPORTED_FORMAT');
  }
  if (!dims.type || !supported.has(dims.type))
    throw new DoppelError('UNSUPPORTED_FORMAT', undefined, { type: dims.type });
  if (dims.width && dims.height) checkImageSize(dims.width, dims.height, limits);
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file, {
      imageOrientation: 'from-image',
      colorSpaceConversion: 'none',
      premultiplyAlpha: 'none',
    });
  } catch (error) {
    throw new DoppelError('DECODE_FAILED', undefined, { cause: String(error) });
  }
  try {
    checkImageSize(bitmap.width, bitmap.height, limits);
  } catch (error) {
    bitmap.close();
    throw error;
  }
  return bitmap;
}

/**
 * Frames in a GIF (1 for any other image): a target with more than one is swapped as an animation.
 * A GIF whose frames cannot all be read is DECODE_FAILED, as the swap would be.
 */
export async function gifFrameCount(file: Blob): Promise<number> {
  const magic = new Uint8Array(await file.slice(0, 3).arrayBuffer());
  if (String.fromCharCode(...magic) !== 'GIF' || typeof ImageDecoder === 'undefined') return 1;
  let decoder: ImageDecoder | undefined;
  try {
    decoder = new ImageDecoder({ data: await file.arrayBuffer(), type: 'image/gif' });
    await decoder.tracks.ready;
    await decoder.completed;
    return decoder.tracks.selectedTrack?.frameCount ?? 1;
  } catch (error) {
    throw new DoppelError('DECODE_FAILED', undefined, { cause: String(error) });
  } finally {
    decoder?.close();
  }
}
