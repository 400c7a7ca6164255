import { applyPalette, GIFEncoder, quantize } from 'gifenc';
import type { RgbaImage } from '../../gpu/types';
import { addXmpToGif } from '../../shared/xmp';

/** gifenc's `repeat`: -1 writes no loop extension (play once), 0 loops forever, n plays n extra times. */
function repeatOption(repetitionCount: number): number {
  if (!Number.isFinite(repetitionCount)) return 0;
  return repetitionCount === 0 ? -1 : repetitionCount;
}

/**
 * Writes an animated GIF frame by frame: each frame gets its own 256-colour palette; the file is
 * tagged AI-edited (XMP).
 */
export class GifWriter {
  private readonly encoder = GIFEncoder();

  constructor(private readonly repetitionCount: number) {}

  add(image: RgbaImage, delayMs: number): void {
    const palette = quantize(image.data, 256);
    const index = applyPalette(image.data, palette);
    this.encoder.writeFrame(index, image.width, image.height, {
      palette,
      delay: delayMs,
      repeat: repeatOption(this.repetitionCount),
    });
  }

  finish(): Blob {
    this.encoder.finish();
    const tagged = addXmpToGif(this.encoder.bytes());
    return new Blob([tagged as Uint8Array<ArrayBuffer>], { type: 'image/gif' });
  }
}
