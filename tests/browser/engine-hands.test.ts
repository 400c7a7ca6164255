import { describe, expect, test } from 'vitest';
import { sampleBase64 } from '../fixtures/samples';
import { isAutomationError } from '../../scripts/lib/automation';
import { handOverFace, type Box } from './hand-over-face';
import { analyzeOrThrow, useWasmSession } from './wasm-session';

/**
 * Hands in front of a face stay in front of the built-in swap (WASM + the CPU reference kernels), on
 * the photo hand-over-face.ts makes: demo photo 2's hand over the cheek of demo photo 1's largest face.
 */
const session = useWasmSession();

const analyze = (b64: string) => analyzeOrThrow(session(), b64);

/**
 * How many pixels differ between two PNGs (decoded in the page) inside `box` and the polygon through
 * `points` (x, y pairs) in the order of their angle around their centroid, which lies inside their
 * convex hull; and how many pixels that is.
 */
function changedIn(
  a: string,
  b: string,
  box: Box,
  points: number[],
): Promise<{ changed: number; pixels: number }> {
  return session().page.evaluate(
    async ({ a, b, box, points }) => {
      const decode = async (b64: string) => {
        const bitmap = await createImageBitmap(
          new Blob([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))]),
          {
            colorSpaceConversion: 'none',
            premultiplyAlpha: 'none',
          },
        );
        const ctx = new OffscreenCanvas(bitmap.width, bitmap.height).getContext('2d')!;
        ctx.drawImage(bitmap, 0, 0);
        return ctx.getImageData(...box).data;
      };
      const [pa, pb] = [await decode(a), await decode(b)];
      const xs = points.filter((_, i) => i % 2 === 0);
      const ys = points.filter((_, i) => i % 2 === 1);
      const cx = xs.reduce((s, v) => s + v, 0) / xs.length;
      const cy = ys.reduce((s, v) => s + v, 0) / ys.length;
      const hull = new OffscreenCanvas(box[2], box[3]).getContext('2d')!;
      const order = xs
        .map((_, i) => i)
        .sort((i, j) => Math.atan2(ys[i]! - cy, xs[i]! - cx) - Math.atan2(ys[j]! - cy, xs[j]! - cx));
      hull.beginPath();
      for (const i of order) hull.lineTo(xs[i]! - box[0], ys[i]! - box[1]);
      hull.closePath();
      let changed = 0;
      let pixels = 0;
      for (let p = 0; p < pa.length; p += 4) {
        const x = (p / 4) % box[2];
        const y = Math.floor(p / 4 / box[2]);
        if (!hull.isPointInPath(x + 0.5, y + 0.5)) continue;
        pixels++;
        if (pa[p] !== pb[p] || pa[p + 1] !== pb[p + 1] || pa[p + 2] !== pb[p + 2]) changed++;
      }
      return { changed, pixels };
    },
    { a, b, box, points },
  );
}

describe('hands in front of a face', () => {
  test('a real hand pasted over a face is found and stays in the result; with hands off it is swapped over', async () => {
    const { target, face, hand, inside } = await handOverFace(session().page, analyze);

    const swap = async (hands: boolean) => {
      const result = await session().swap({
        source: sampleBase64(3),
        target,
        faces: [face],
        format: 'png',
        blend: { hands },
      });
      if (isAutomationError(result)) throw new Error(result.error.message);
      expect(result.facesSwapped).toBe(1);
      expect(result.handsFound).toBeGreaterThan(0);
      return changedIn(result.output, target, inside, hand.keypoints);
    };
    const kept = await swap(true);
    expect(kept.pixels).toBeGreaterThan(400);
    expect(kept.changed).toBe(0);
    const over = await swap(false);
    expect(over.changed).toBeGreaterThan(over.pixels * 0.2);
  });
});
