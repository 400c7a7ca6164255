import type { Page } from 'playwright-core';

/** A rectangle drawn over a photo: filled, or outlined `lineWidth` wide, in a CSS colour. */
export interface DrawnRect {
  x: number;
  y: number;
  width: number;
  height: number;
  colour: string;
  /** Outline width in pixels; filled when absent. */
  lineWidth?: number;
}

/** The photo (base64) with the rectangles drawn over it, as a PNG (in the page, with Chromium's decoder). */
export function drawRects(page: Page, b64: string, rects: DrawnRect[]): Promise<string> {
  return page.evaluate(
    async ({ b64, rects }) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const bitmap = await createImageBitmap(new Blob([bytes]));
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      const ctx = canvas.getContext('2d')!;
      ctx.drawImage(bitmap, 0, 0);
      for (const { x, y, width, height, colour, lineWidth } of rects) {
        if (lineWidth === undefined) {
          ctx.fillStyle = colour;
          ctx.fillRect(x, y, width, height);
        } else {
          ctx.strokeStyle = colour;
          ctx.lineWidth = lineWidth;
          ctx.strokeRect(x, y, width, height);
        }
      }
      const png = new Uint8Array(await (await canvas.convertToBlob({ type: 'image/png' })).arrayBuffer());
      let binary = '';
      for (let i = 0; i < png.length; i += 0x8000)
        binary += String.fromCharCode(...png.subarray(i, i + 0x8000));
      return btoa(binary);
    },
    { b64, rects },
  );
}
