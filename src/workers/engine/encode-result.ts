import type { RgbaImage } from '../../gpu/types';
import { withContentCredentials } from '../../shared/credentials/content-credentials';
import { addXmpToJpeg, addXmpToPng } from '../../shared/xmp';
import type { ImageFormat } from './api';
import { encodePixels } from './pixels';

/**
 * A result as a PNG or JPEG file with AI-edited metadata (IPTC DigitalSourceType in XMP) and
 * Content Credentials signed on this device.
 */
export async function encodeResult(image: RgbaImage, format: ImageFormat, quality: number): Promise<Blob> {
  const type = format === 'png' ? 'image/png' : 'image/jpeg';
  const bytes = await encodePixels(image, type, quality);
  const tagged = format === 'png' ? addXmpToPng(bytes) : addXmpToJpeg(bytes);
  const signed = await withContentCredentials(new Blob([tagged as Uint8Array<ArrayBuffer>], { type }), type);
  return new Blob([signed], { type });
}
