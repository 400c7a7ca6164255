import { describe, expect, test } from 'vitest';
import { sampleBase64 } from '../fixtures/samples';
import { isAutomationError } from '../../scripts/lib/automation';
import { analyzeOrThrow, useWasmSession } from './wasm-session';

/**
 * Hands in front of a face stay in front of the built-in swap (WASM + the CPU reference kernels).
 * The photo is made here: the hand that demo photo 2 holds at a face (found by the hand models) is
 * cut out and pasted over the cheek of demo photo 1's largest face.
 */
const session = useWasmSession();

type Box = [number, number, number, number];

async function analyze(b64: string) {
  const analysed = await analyzeOrThrow(session(), b64);
  return analysed;
}

/** `photo` with the `from` box of `donor` drawn into the `to` box, as a PNG (base64). */
function paste(photo: string, donor: string, from: Box, to: Box): Promise<string> {
  return session().page.evaluate(
    async ({ photo, donor, from, to }) => {
      const decode = async (b64: string) =>
        createImageBitmap(new Blob([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))]));
      const [base, hand] = [await decode(photo), await decode(donor)];
      const canvas = new OffscreenCanvas(base.width, base.height);
      const ctx = canvas.getContext('2d')!;
      ctx.drawImage(base, 0, 0);
      ctx.drawImage(hand, ...from, ...to);
      const png = new Uint8Array(await (await canvas.convertToBlob({ type: 'image/png' })).arrayBuffer());
      let binary = '';
      for (let i = 0; i < png.length; i += 0x8000)
        binary += String.fromCharCode(...png.subarray(i, i + 0x8000));
      return btoa(binary);
    },
    { photo, donor, from, to },
  );
}

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

const overlap = (a: Box, b: Box): Box => {
  const x = Math.max(a[0], b[0]);
  const y = Math.max(a[1], b[1]);
  return [x, y, Math.min(a[0] + a[2], b[0] + b[2]) - x, Math.min(a[1] + a[3], b[1] + b[3]) - y];
};

describe('hands in front of a face', () => {
  test('a real hand pasted over a face is found and stays in the result; with hands off it is swapped over', async () => {
    const donor = sampleBase64(2);
    const donorHands = (await analyze(donor)).hands;
    expect(donorHands.length).toBeGreaterThan(0);
    const [hx, hy, hw, hh] = donorHands[0]!.box;
    const from: Box = [hx - 0.1 * hw, hy - 0.1 * hh, 1.2 * hw, 1.2 * hh].map(Math.round) as Box;

    const photo = sampleBase64(1);
    const faces = (await analyze(photo)).faces;
    const [fx, fy, fw, fh] = faces.reduce((a, b) => (b.box[2] * b.box[3] > a.box[2] * a.box[3] ? b : a)).box;
    const width = 0.6 * fw;
    const height = (width * from[3]) / from[2];
    const to: Box = [fx - 0.05 * fw, fy + 0.55 * fh - height / 2, width, height].map(Math.round) as Box;
    const target = await paste(photo, donor, from, to);

    const analysed = await analyze(target);
    const distance = (b: number[]) => Math.hypot(b[0]! - fx, b[1]! - fy);
    const face = analysed.faces.reduce(
      (best, f, i) => (distance(f.box) < distance(analysed.faces[best]!.box) ? i : best),
      0,
    );
    const faceBox = analysed.faces[face]!.box as Box;
    expect(distance(faceBox)).toBeLessThan(0.3 * fw);
    const hand = analysed.hands.find((h) => {
      const [, , w, h2] = overlap(h.box, to);
      return w > 0 && h2 > 0;
    });
    expect(hand, 'the hand models find the pasted hand').toBeDefined();
    // The hand over the face: the part of it the swap could paint over.
    const inside = overlap(hand!.box, faceBox).map(Math.round) as Box;

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
      return changedIn(result.output, target, inside, hand!.keypoints);
    };
    const kept = await swap(true);
    expect(kept.pixels).toBeGreaterThan(400);
    expect(kept.changed).toBe(0);
    const over = await swap(false);
    expect(over.changed).toBeGreaterThan(over.pixels * 0.2);
  });
});
