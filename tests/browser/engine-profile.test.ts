import { describe, expect, test } from 'vitest';
import { sampleBase64 } from '../fixtures/samples';
import { isAutomationError } from '../../scripts/lib/automation';
import { analyzeOrThrow, useWasmSession } from './wasm-session';

/**
 * The built-in swap from a source turned to one side (the rightmost face of demo photo 2, about 20°)
 * onto a frontal target (the lowest face of demo photo 5), on real
 * photos (WASM + the CPU reference kernels). The side the source does not show is filled from its
 * mirrored visible half, so the same source flipped left to right (which shows that half, and hides
 * the other) gives nearly the same face; filled from the turned-away side instead, the two differ
 * about as much as either differs from the target.
 */
const session = useWasmSession();

type Box = [number, number, number, number];

async function faces(b64: string): Promise<Box[]> {
  const analysed = await analyzeOrThrow(session(), b64);
  return analysed.faces.map((f) => f.box as Box);
}

/** The index of the face whose box has the least (or, with `-1`, the greatest) value of `key`. */
function extreme(boxes: Box[], key: (box: Box) => number, sign = 1): number {
  return boxes.reduce((best, box, i) => (sign * key(box) < sign * key(boxes[best]!) ? i : best), 0);
}

/** The photo mirrored left to right, as a PNG (in the page, with Chromium's decoder). */
function flipped(b64: string): Promise<string> {
  return session().page.evaluate(async (b64) => {
    const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
    const bitmap = await createImageBitmap(new Blob([bytes]));
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const ctx = canvas.getContext('2d')!;
    ctx.scale(-1, 1);
    ctx.drawImage(bitmap, -bitmap.width, 0);
    const png = new Uint8Array(await (await canvas.convertToBlob({ type: 'image/png' })).arrayBuffer());
    let binary = '';
    for (let i = 0; i < png.length; i += 0x8000)
      binary += String.fromCharCode(...png.subarray(i, i + 0x8000));
    return btoa(binary);
  }, b64);
}

/**
 * Mean absolute difference per channel between images a and b, and between a and the target, over
 * the pixels both swaps touched (decoded in the page).
 */
function differences(
  images: { a: string; b: string; target: string },
  touched: [string, string],
): Promise<{ ab: number; aTarget: number; pixels: number }> {
  return session().page.evaluate(
    async ({ images, touched }) => {
      const decode = async (b64: string) => {
        const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
        const bitmap = await createImageBitmap(new Blob([bytes]), {
          colorSpaceConversion: 'none',
          premultiplyAlpha: 'none',
        });
        const ctx = new OffscreenCanvas(bitmap.width, bitmap.height).getContext('2d')!;
        ctx.drawImage(bitmap, 0, 0);
        return ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
      };
      const [a, b, target] = [await decode(images.a), await decode(images.b), await decode(images.target)];
      const [ta, tb] = touched.map((mask) => Uint8Array.from(atob(mask), (c) => c.charCodeAt(0)));
      let ab = 0;
      let aTarget = 0;
      let pixels = 0;
      for (let p = 0; p < ta!.length; p++) {
        if (!ta![p] || !tb![p]) continue;
        pixels++;
        for (let c = 0; c < 3; c++) {
          ab += Math.abs(a[p * 4 + c]! - b[p * 4 + c]!);
          aTarget += Math.abs(a[p * 4 + c]! - target[p * 4 + c]!);
        }
      }
      return { ab: ab / pixels / 3, aTarget: aTarget / pixels / 3, pixels };
    },
    { images, touched },
  );
}

describe('the built-in swap from a source turned to one side', () => {
  test('fills the side the source does not show from its mirrored half', async () => {
    const source = sampleBase64(2);
    const mirror = await flipped(source);
    const target = sampleBase64(5);
    const face = extreme(await faces(target), (box) => box[1], -1);
    const swaps = await Promise.all(
      [
        { photo: source, sourceFace: extreme(await faces(source), (box) => box[0] + box[2], -1) },
        { photo: mirror, sourceFace: extreme(await faces(mirror), (box) => box[0]) },
      ].map(async ({ photo, sourceFace }) => {
        const swapped = await session().swap({
          source: photo,
          target,
          sourceFace,
          faces: [face],
          format: 'png',
        });
        if (isAutomationError(swapped)) throw new Error(swapped.error.code);
        return swapped;
      }),
    );
    const [a, b] = swaps as [(typeof swaps)[number], (typeof swaps)[number]];
    const { ab, aTarget, pixels } = await differences({ a: a.output, b: b.output, target }, [
      a.touched,
      b.touched,
    ]);
    expect(pixels).toBeGreaterThan(20_000);
    // The swap changed the face ...
    expect(aTarget).toBeGreaterThan(8);
    // ... and both swaps made it from the same visible half of the source: they differ (the meshes
    // found on the photo and on its mirror image are not exact mirrors) far less than the swap
    // changed the face, whose colour the tone match now moves less (its calmer chroma).
    expect(ab).toBeLessThan(aTarget * 0.65);
  });
});
