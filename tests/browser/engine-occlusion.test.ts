import { describe, expect, test } from 'vitest';
import { sampleBase64 } from '../fixtures/samples';
import { isAutomationError } from '../../scripts/lib/automation';
import { drawRects } from './draw-rects';
import { analyzeOrThrow, useWasmSession } from './wasm-session';

/**
 * The built-in swap on real photos (WASM + the CPU reference kernels): what covers the target face
 * stays in front, and the target's eyes are kept by default.
 */
const session = useWasmSession();

type Box = [number, number, number, number];
type Rect = { x: number; y: number; width: number; height: number };

async function largestFace(b64: string) {
  const analysed = await analyzeOrThrow(session(), b64);
  const faces = analysed.faces.map((f, index) => ({ index, box: f.box as Box }));
  const face = faces.reduce((a, b) => (b.box[2] * b.box[3] > a.box[2] * a.box[3] ? b : a));
  return { ...face, width: analysed.width, height: analysed.height };
}

/** How many pixels of `rect` differ between two PNGs (decoded in the page), and how many it has. */
function changedIn(a: string, b: string, rect: Rect): Promise<{ changed: number; pixels: number }> {
  return session().page.evaluate(
    async ({ a, b, rect }) => {
      const decode = async (b64: string) => {
        const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
        const bitmap = await createImageBitmap(new Blob([bytes]), {
          colorSpaceConversion: 'none',
          premultiplyAlpha: 'none',
        });
        const ctx = new OffscreenCanvas(bitmap.width, bitmap.height).getContext('2d')!;
        ctx.drawImage(bitmap, 0, 0);
        return ctx.getImageData(rect.x, rect.y, rect.width, rect.height).data;
      };
      const [pa, pb] = [await decode(a), await decode(b)];
      let changed = 0;
      for (let p = 0; p < pa.length; p += 4) {
        if (pa[p] !== pb[p] || pa[p + 1] !== pb[p + 1] || pa[p + 2] !== pb[p + 2]) changed++;
      }
      return { changed, pixels: pa.length / 4 };
    },
    { a, b, rect },
  );
}

describe('the built-in swap on real photos keeps what is in front of the face', () => {
  test('a bar drawn over a face stays in the result; with occlusion off it is swapped over', async () => {
    const photo = sampleBase64(1);
    const [bx, by, bw, bh] = (await largestFace(photo)).box;
    // Across the forehead, above the eye zones, which shield the brows from the test.
    const bar = {
      x: Math.round(bx + 0.38 * bw),
      y: Math.round(by + 0.05 * bh),
      width: Math.round(0.18 * bw),
      height: Math.round(0.07 * bh),
    };
    const target = await drawRects(session().page, photo, [{ ...bar, colour: 'rgb(40, 70, 190)' }]);
    const barred = await session().analyze(target);
    if (isAutomationError(barred)) throw new Error(barred.error.code);
    // The face under the bar, as the barred photo numbers its faces.
    const distance = (b: number[]) => Math.hypot(b[0]! - bx, b[1]! - by);
    const face = barred.faces.reduce(
      (best, f, i) => (distance(f.box) < distance(barred.faces[best]!.box) ? i : best),
      0,
    );
    expect(distance(barred.faces[face]!.box)).toBeLessThan(0.1 * bw);
    const inner = { x: bar.x + 2, y: bar.y + 2, width: bar.width - 4, height: bar.height - 4 };
    const swap = async (occlusion: boolean) => {
      const result = await session().swap({
        source: sampleBase64(3),
        target,
        faces: [face],
        format: 'png',
        blend: { occlusion },
      });
      if (isAutomationError(result)) throw new Error(result.error.message);
      expect(result.facesSwapped).toBe(1);
      return changedIn(result.output, target, inner);
    };
    const kept = await swap(true);
    expect(kept.pixels).toBeGreaterThan(100);
    expect(kept.changed).toBeLessThanOrEqual(kept.pixels * 0.02);
    const over = await swap(false);
    expect(over.changed).toBeGreaterThan(over.pixels * 0.5);
  });

  test('the eye interiors come from the target by default, and from the source when asked', async () => {
    const photo = sampleBase64(1);
    const { index, box, width } = await largestFace(photo);
    /** Untouched pixels in the face's upper 60% with touched pixels left, right, above and below. */
    const holes = async (blend: { keepEyes?: boolean; keepMouth?: boolean; occlusion: boolean }) => {
      const result = await session().swap({
        source: sampleBase64(3),
        target: photo,
        faces: [index],
        format: 'png',
        blend,
      });
      if (isAutomationError(result)) throw new Error(result.error.message);
      const touched = Buffer.from(result.touched, 'base64');
      const x0 = Math.ceil(box[0]);
      const x1 = Math.floor(box[0] + box[2]);
      const y0 = Math.ceil(box[1]);
      const y1 = Math.floor(box[1] + box[3]);
      const at = (x: number, y: number) => touched[y * width + x] === 1;
      let count = 0;
      for (let y = y0; y < Math.floor(box[1] + 0.6 * box[3]); y++) {
        for (let x = x0; x < x1; x++) {
          if (at(x, y)) continue;
          const row = (from: number, to: number) => {
            for (let k = from; k < to; k++) if (at(k, y)) return true;
            return false;
          };
          const column = (from: number, to: number) => {
            for (let k = from; k < to; k++) if (at(x, k)) return true;
            return false;
          };
          if (row(x0, x) && row(x + 1, x1) && column(y0, y) && column(y + 1, y1)) count++;
        }
      }
      return count;
    };
    expect(await holes({ occlusion: false })).toBeGreaterThan(40);
    expect(await holes({ keepEyes: false, keepMouth: false, occlusion: false })).toBe(0);
  });
});
