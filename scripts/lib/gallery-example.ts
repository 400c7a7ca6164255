import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { demoPairs, sampleBase64 } from '../../tests/fixtures/samples';
import { isAutomationError, type AutomationSession } from './automation';

/** The start screen's example: each half a square of this side. */
export const EXAMPLE_CELL = 256;

/**
 * The compact before/after the Swap screen shows before any photo is chosen: the first demo pair's
 * target, its largest face and around it, before and after the built-in swap, side by side
 * (2 x EXAMPLE_CELL by EXAMPLE_CELL), as WebP. Returns its size in bytes.
 */
export async function writeExample(session: AutomationSession, out: string): Promise<number> {
  const { source, target } = demoPairs(1)[0]!;
  const targetB64 = sampleBase64(target);
  const swapped = await session.swap({
    source: sampleBase64(source),
    target: targetB64,
    faces: 'all',
    format: 'png',
  });
  if (isAutomationError(swapped)) throw new Error(`${swapped.error.code}: ${swapped.error.message}`);
  const face = swapped.targetBoxes.reduce((a, b) => (b[2] * b[3] > a[2] * a[3] ? b : a));
  const webp = await session.page.evaluate(
    async ({ images, face, cell }) => {
      const side = 1.8 * Math.max(face[2], face[3]);
      const [x, y] = [face[0] + face[2] / 2 - side / 2, face[1] + face[3] / 2 - side / 2];
      const canvas = new OffscreenCanvas(cell * 2, cell);
      const ctx = canvas.getContext('2d')!;
      const bitmaps = await Promise.all(
        images.map((b64) =>
          createImageBitmap(new Blob([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))])),
        ),
      );
      bitmaps.forEach((bitmap, i) => ctx.drawImage(bitmap, x, y, side, side, i * cell, 0, cell, cell));
      ctx.font = '14px sans-serif';
      ['before', 'after'].forEach((text, i) => {
        ctx.fillStyle = 'rgba(0, 0, 0, 0.6)';
        ctx.fillRect(i * cell, 0, ctx.measureText(text).width + 12, 24);
        ctx.fillStyle = '#fff';
        ctx.fillText(text, i * cell + 6, 17);
      });
      const bytes = new Uint8Array(
        await (await canvas.convertToBlob({ type: 'image/webp', quality: 0.8 })).arrayBuffer(),
      );
      let s = '';
      for (let i = 0; i < bytes.length; i += 0x8000)
        s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      return btoa(s);
    },
    { images: [targetB64, swapped.output], face, cell: EXAMPLE_CELL },
  );
  const bytes = Buffer.from(webp, 'base64');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, bytes);
  return bytes.length;
}
