import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeMovingGif, movingFace, type MovingGif } from '../fixtures/gif';
import { sampleFile } from '../fixtures/samples';
import {
  appPath,
  engineReady,
  offlineReady,
  openAppSession,
  slow,
  startTrial,
  thumbs,
  type AppSession,
} from './ui';

/**
 * An animated GIF as the target photo on the Swap screen of the production build (WASM backend):
 * its first frame's faces are offered, Swap runs frame by frame, the result animates and downloads
 * as a GIF.
 */

const { face } = movingFace;
const delays = [100, 150, 100];

let app: AppSession;
let page: Page;
let gif: MovingGif;

beforeAll(async () => {
  app = await openAppSession();
  ({ page } = app);
  await page.goto(`${app.baseUrl}${appPath}`);
  await engineReady(page);
  // GIF swaps are outside the Free plan.
  await startTrial(page);
  // Everything below runs with the network cut, as the installed app does offline.
  await offlineReady(page);
  await app.context.setOffline(true);
  await page.getByRole('link', { name: 'Swap', exact: true }).click();
  gif = await makeMovingGif(page, { ...movingFace, delays, repeat: 0 });
});

afterAll(() => app?.close());

interface Decoded {
  frameCount: number;
  durations: number[];
  /** RGBA of each frame, base64. */
  frames: string[];
}

/** Decodes GIF bytes (base64) with the page's ImageDecoder, frame by frame. */
function decodeInPage(base64: string): Promise<Decoded> {
  return page.evaluate(async (b64) => {
    const decoder = new ImageDecoder({
      data: Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)),
      type: 'image/gif',
    });
    await decoder.tracks.ready;
    await decoder.completed;
    const track = decoder.tracks.selectedTrack!;
    const out: Decoded = { frameCount: track.frameCount, durations: [], frames: [] };
    for (let i = 0; i < track.frameCount; i++) {
      const { image } = await decoder.decode({ frameIndex: i });
      out.durations.push(Math.round((image.duration ?? 0) / 1000));
      const ctx = new OffscreenCanvas(image.displayWidth, image.displayHeight).getContext('2d')!;
      ctx.drawImage(image, 0, 0);
      image.close();
      const rgba = ctx.getImageData(0, 0, ctx.canvas.width, ctx.canvas.height).data;
      let s = '';
      for (let j = 0; j < rgba.length; j += 0x8000) s += String.fromCharCode(...rgba.subarray(j, j + 0x8000));
      out.frames.push(btoa(s));
    }
    decoder.close();
    return out;
  }, base64);
}

/** Mean absolute RGB difference of two RGBA frames inside a box. */
function meanDifference(a: Buffer, b: Buffer, width: number, box: [number, number, number, number]): number {
  const [x0, y0, w, h] = box.map(Math.round) as [number, number, number, number];
  let sum = 0;
  let count = 0;
  for (let y = y0; y < y0 + h; y++)
    for (let x = x0; x < x0 + w; x++) {
      const i = (y * width + x) * 4;
      sum +=
        (Math.abs(a[i]! - b[i]!) + Math.abs(a[i + 1]! - b[i + 1]!) + Math.abs(a[i + 2]! - b[i + 2]!)) / 3;
      count++;
    }
  return sum / count;
}

describe('Swap screen with an animated GIF target (offline after load)', () => {
  it('cancels, then swaps every frame with progress per frame, shows the animated result and downloads doppel-<name>.gif', async () => {
    await page.getByTestId('source-input').setInputFiles(sampleFile(3));
    await page
      .getByTestId('target-input')
      .setInputFiles({ name: 'moving.gif', mimeType: 'image/gif', buffer: gif.bytes });
    await expect.poll(() => thumbs(page, 'source').count(), slow).toBeGreaterThanOrEqual(1);
    await expect.poll(() => thumbs(page, 'target').count(), slow).toBe(1);
    expect(await page.getByTestId('target-animated').textContent()).toContain(`${delays.length} frames`);

    const progress = page.locator('.swap-bar').getByTestId('progress');
    await page.getByTestId('swap-button').click();
    await page.getByTestId('cancel-button').click();
    await expect
      .poll(() => page.locator('.swap-bar').getByTestId('error').getAttribute('data-code'), slow)
      .toBe('CANCELLED');
    expect(await page.getByTestId('result').count()).toBe(0);

    await page.getByTestId('swap-button').click();
    await expect
      .poll(() => progress.textContent().catch(() => ''), slow)
      .toMatch(new RegExp(`frame [1-${delays.length}] of ${delays.length}`));
    const result = page.getByTestId('result-gif');
    await result.waitFor(slow);
    expect(await page.getByTestId('error').count()).toBe(0);
    // Before and after, as for photos: the divider moves with the keyboard and uncovers the original.
    const divider = page.getByTestId('result').getByRole('slider', { name: 'Before and after divider' });
    await divider.press('Home');
    expect(await divider.getAttribute('aria-valuenow')).toBe('0');
    expect(await result.evaluate((img) => img.style.clipPath)).toMatch(/ 0%\)$/);
    await divider.press('End');
    expect(await result.evaluate((img) => img.style.clipPath)).toMatch(/ 100%\)$/);

    const outputB64 = await result.evaluate(async (img: HTMLImageElement) => {
      const bytes = new Uint8Array(await (await fetch(img.src)).arrayBuffer());
      let s = '';
      for (let j = 0; j < bytes.length; j += 0x8000)
        s += String.fromCharCode(...bytes.subarray(j, j + 0x8000));
      return btoa(s);
    });
    const input = await decodeInPage(gif.bytes.toString('base64'));
    const output = await decodeInPage(outputB64);
    expect(input.frameCount).toBe(delays.length);
    expect(output.frameCount).toBe(input.frameCount);
    expect(output.durations).toEqual(input.durations);
    const inFace = input.frames.map((frame, i) =>
      meanDifference(
        Buffer.from(frame, 'base64'),
        Buffer.from(output.frames[i]!, 'base64'),
        gif.width,
        gif.boxInFrame(face, i),
      ),
    );
    console.log(`GIF in the UI: mean |output - input| in the face box per frame: ${JSON.stringify(inFace)}`);
    // Re-quantising to a palette alone moves pixels by under 3 (gif.test.ts bounds the far background
    // so); the swapped face by several times that.
    for (const d of inFace) expect(d).toBeGreaterThan(7);

    expect(await page.getByTestId('format-select').count()).toBe(0);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('download-button').click(),
    ]);
    expect(download.suggestedFilename()).toBe('doppel-moving.gif');
    expect(readFileSync((await download.path())!).equals(Buffer.from(outputB64, 'base64'))).toBe(true);
    expect(app.problems).toEqual([]);
  });

  it('a still photo after the GIF swaps as a photo again (canvas result, PNG download)', async () => {
    await page.getByTestId('target-input').setInputFiles(sampleFile(1));
    await expect.poll(() => page.getByTestId('result-gif').count(), slow).toBe(0);
    await expect.poll(() => thumbs(page, 'target').count(), slow).toBeGreaterThanOrEqual(1);
    expect(await page.getByTestId('target-animated').count()).toBe(0);
    await page.getByTestId('swap-button').click();
    await page.getByTestId('result-canvas').waitFor(slow);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('download-button').click(),
    ]);
    expect(download.suggestedFilename()).toBe('doppel-sample1.png');
    expect(app.problems).toEqual([]);
  });
});
