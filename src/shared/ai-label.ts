import { withContentCredentials } from './credentials/content-credentials';
import { addXmpToJpeg, addXmpToPng } from './xmp';

/** The visible label's words. */
const visibleLabelText = 'AI-edited';

/**
 * Draws the visible label in the bottom-right corner: white text on a dark translucent box, its
 * height about 3% of the image's shorter side (at least 12 px), inset by half that.
 */
function drawVisibleLabel(ctx: OffscreenCanvasRenderingContext2D, width: number, height: number): void {
  const size = Math.max(12, Math.round(Math.min(width, height) * 0.03));
  const pad = Math.round(size / 3);
  ctx.save();
  ctx.font = `600 ${size}px sans-serif`;
  ctx.textBaseline = 'middle';
  const boxWidth = Math.ceil(ctx.measureText(visibleLabelText).width) + 2 * pad;
  const boxHeight = size + 2 * pad;
  const x = width - boxWidth - Math.round(size / 2);
  const y = height - boxHeight - Math.round(size / 2);
  ctx.fillStyle = 'rgba(0, 0, 0, 0.6)';
  ctx.fillRect(x, y, boxWidth, boxHeight);
  ctx.fillStyle = '#fff';
  ctx.fillText(visibleLabelText, x + pad, y + boxHeight / 2);
  ctx.restore();
}

/**
 * A swapped photo encoded as PNG or JPEG with the visible label in its corner, the AI-edited XMP tag
 * and Content Credentials (C2PA) signed on this device.
 */
export async function labelledPhoto(
  image: ImageBitmap,
  format: 'png' | 'jpeg',
  quality: number,
): Promise<Blob> {
  const canvas = new OffscreenCanvas(image.width, image.height);
  const ctx = canvas.getContext('2d');
  if (!ctx) throw new Error('no 2D canvas');
  ctx.drawImage(image, 0, 0);
  drawVisibleLabel(ctx, image.width, image.height);
  const type = format === 'png' ? 'image/png' : 'image/jpeg';
  const bytes = new Uint8Array(await (await canvas.convertToBlob({ type, quality })).arrayBuffer());
  const tagged = format === 'png' ? addXmpToPng(bytes) : addXmpToJpeg(bytes);
  const signed = await withContentCredentials(new Blob([tagged as Uint8Array<ArrayBuffer>], { type }), type);
  return new Blob([signed], { type });
}
