import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleBase64, sampleFile } from '../fixtures/samples';
import { appPath, engineReady, openAppSession, slow, thumbs, type AppSession } from './ui';

/**
 * What the Swap screen shows besides the photos: the example before any photo is chosen, and "Show
 * mask", the built-in engine's blend weight tinted over the target photo, clear where something
 * covers the face.
 */
let app: AppSession;

beforeAll(async () => {
  app = await openAppSession();
  await app.page.goto(`${app.baseUrl}${appPath}`);
  await engineReady(app.page);
});

afterAll(async () => {
  await app?.close();
});

type Box = [number, number, number, number];

interface Overlay {
  width: number;
  height: number;
  alpha: number[];
  /** The analysed target photo it was painted for. */
  painted: string;
}

/** The overlay's alpha channel, once it has been painted for another photo than `previous`. */
async function overlayAlpha(page: Page, previous?: string): Promise<Overlay> {
  const handle = await page.waitForFunction(
    (previous) => {
      const canvas = document.querySelector<HTMLCanvasElement>('[data-testid="mask-overlay"]');
      const painted = canvas?.dataset.painted;
      if (!canvas || !painted || painted === previous) return null;
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      const alpha = Array.from({ length: data.length / 4 }, (_, i) => data[i * 4 + 3]!);
      return { width: canvas.width, height: canvas.height, alpha, painted };
    },
    previous,
    slow,
  );
  return (await handle.jsonValue())!;
}

/** The bounding box of the largest 4-connected group of tinted pixels: one face's blend region. */
function largestRegion({ width, height, alpha }: Overlay): Box {
  const seen = new Uint8Array(alpha.length);
  let best: Box = [0, 0, 0, 0];
  let bestSize = 0;
  for (let start = 0; start < alpha.length; start++) {
    if (seen[start] || alpha[start] === 0) continue;
    const stack = [start];
    seen[start] = 1;
    let [x0, y0, x1, y1, size] = [width, height, 0, 0, 0];
    while (stack.length > 0) {
      const p = stack.pop()!;
      const x = p % width;
      const y = Math.floor(p / width);
      [x0, y0, x1, y1, size] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x), Math.max(y1, y), size + 1];
      for (const q of [x > 0 ? p - 1 : -1, x < width - 1 ? p + 1 : -1, p - width, p + width]) {
        if (q >= 0 && q < alpha.length && !seen[q] && alpha[q]! > 0) {
          seen[q] = 1;
          stack.push(q);
        }
      }
    }
    if (size > bestSize) [best, bestSize] = [[x0, y0, x1 - x0 + 1, y1 - y0 + 1], size];
  }
  return best;
}

/** Demo photo `n` as a PNG with a solid blue bar over `bar`, drawn in the page. */
async function withBar(page: Page, n: number, bar: Box): Promise<Buffer> {
  const png = await page.evaluate(
    async ({ b64, bar }) => {
      const bitmap = await createImageBitmap(new Blob([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))]));
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      const ctx = canvas.getContext('2d')!;
      ctx.drawImage(bitmap, 0, 0);
      ctx.fillStyle = 'rgb(40, 70, 190)';
      ctx.fillRect(...bar);
      const bytes = new Uint8Array(await (await canvas.convertToBlob({ type: 'image/png' })).arrayBuffer());
      let binary = '';
      for (let i = 0; i < bytes.length; i += 0x8000)
        binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      return btoa(binary);
    },
    { b64: sampleBase64(n), bar },
  );
  return Buffer.from(png, 'base64');
}

describe('the start screen', () => {
  it('shows the example before and after, decoded, until a photo is chosen', async () => {
    const example = app.page.getByTestId('start-example').locator('img');
    await example.waitFor(slow);
    expect(await example.getAttribute('alt')).toMatch(/before .* after/);
    const decoded = await example.evaluate(async (img: HTMLImageElement) => {
      await img.decode();
      const canvas = new OffscreenCanvas(img.naturalWidth, img.naturalHeight);
      const ctx = canvas.getContext('2d')!;
      ctx.drawImage(img, 0, 0);
      const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
      const levels = new Set<number>();
      for (let i = 0; i < data.length; i += 4 * 97) levels.add(data[i]! >> 3);
      return { width: img.naturalWidth, height: img.naturalHeight, levels: levels.size };
    });
    expect(decoded).toMatchObject({ width: 512, height: 256 });
    expect(decoded.levels).toBeGreaterThan(10);
  });
});

describe('Show mask', () => {
  it('tints where the swap applies and leaves what covers the face clear', async () => {
    const { page } = app;
    await page.getByTestId('source-input').setInputFiles(sampleFile(3));
    await page.getByTestId('target-input').setInputFiles(sampleFile(1));
    await thumbs(page, 'source').first().waitFor(slow);
    await thumbs(page, 'target').first().waitFor(slow);
    expect(await page.getByTestId('start-example').count()).toBe(0);
    await page.getByTestId('show-mask').check();
    const plain = await overlayAlpha(page);
    expect(plain.alpha.filter((a) => a > 0).length).toBeGreaterThan(2000);
    const [bx, by, bw, bh] = largestRegion(plain);
    // Across the forehead, above the eye zones (where the occlusion test is shielded).
    const bar: Box = [bx + 0.38 * bw, by + 0.04 * bh, 0.18 * bw, 0.07 * bh].map(Math.round) as Box;
    const inner: number[] = [];
    for (let y = bar[1] + 2; y < bar[1] + bar[3] - 2; y++)
      for (let x = bar[0] + 2; x < bar[0] + bar[2] - 2; x++) inner.push(y * plain.width + x);
    expect(inner.filter((p) => plain.alpha[p]! > 0).length).toBeGreaterThan(inner.length / 2);

    await page.getByTestId('target-input').setInputFiles({
      name: 'barred.png',
      mimeType: 'image/png',
      buffer: await withBar(page, 1, bar),
    });
    const barred = await overlayAlpha(page, plain.painted);
    expect(barred.alpha.filter((a) => a > 0).length).toBeGreaterThan(2000);
    expect(inner.filter((p) => barred.alpha[p]! > 0)).toEqual([]);
    expect(app.problems).toEqual([]);
  });
});
