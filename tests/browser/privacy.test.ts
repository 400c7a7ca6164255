import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { PreviewServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPreview } from '../../scripts/lib/preview';
import { sampleFile, samplePath } from '../fixtures/samples';
import { appPath, engineReady, offlineReady, slow, thumbs } from './ui';
import { launchChromium } from './chromium';
import { withoutCredentials } from './credentials/png-chunks';
import { checkPrivacy, type CapturedRequest } from './privacy-checker';

/**
 * "Privacy, proven": the production app, a swap through the UI and a download, with every request
 * Chromium makes captured (pages, their workers, the service worker). No request may go to another
 * origin or carry any part of the photos in or the image out; the Privacy screen must say so; and
 * cutting the network after load must change nothing about the swap.
 */

let server: PreviewServer;
let baseUrl: string;
let browser: Browser;
let context: BrowserContext;
const captured: CapturedRequest[] = [];

function capture(request: import('playwright-core').Request): void {
  let body: Uint8Array | null = null;
  try {
    body = request.postDataBuffer();
  } catch {
    body = null;
  }
  captured.push({ url: request.url(), method: request.method(), body });
}

beforeAll(async () => {
  ({ server, url: baseUrl } = await startPreview());
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1366, height: 768 }, acceptDownloads: true });
  await context.addInitScript(() => localStorage.setItem('doppel.consent', 'yes'));
  // Pages and their dedicated workers report here; the service worker's own requests too.
  context.on('request', capture);
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.close();
});

/** Presses Swap, waits for the result and downloads it as PNG. */
async function swapAndDownload(page: Page): Promise<Buffer> {
  const progress = page.locator('.swap-bar').getByTestId('progress');
  await page.getByTestId('swap-button').click();
  await progress.waitFor();
  await progress.waitFor({ state: 'detached', ...slow });
  await page.getByTestId('result-canvas').waitFor(slow);
  await expect.poll(() => page.getByTestId('swap-button').isEnabled(), slow).toBe(true);
  expect(await page.getByTestId('error').count()).toBe(0);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('download-button').click(),
  ]);
  return readFileSync((await download.path())!);
}

describe('privacy', () => {
  it('sends no media anywhere, shows it on the Privacy screen, and swaps the same with the network cut', async () => {
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));

    // First visit: the service worker installs and adopts the files the engine loaded; the reload
    // then runs entirely under it, so the audit sees every request of the page and its workers.
    await page.goto(`${baseUrl}${appPath}`);
    await engineReady(page);
    await offlineReady(page);
    await page.reload();
    await engineReady(page);
    expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);

    await page.getByTestId('source-input').setInputFiles(sampleFile(1));
    await page.getByTestId('target-input').setInputFiles(sampleFile(2));
    await expect.poll(() => thumbs(page, 'source').count(), slow).toBeGreaterThanOrEqual(1);
    await expect.poll(() => thumbs(page, 'target').count(), slow).toBeGreaterThanOrEqual(1);
    const online = await swapAndDownload(page);
    expect([...online.subarray(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);

    // The same swap with the network cut: byte for byte the same image (but for the Content
    // Credentials, signed anew each time, from the C2PA module cached on the first download).
    await context.setOffline(true);
    const offline = await swapAndDownload(page);
    await context.setOffline(false);
    expect(withoutCredentials(offline).equals(withoutCredentials(online))).toBe(true);
    expect(offline.includes('caBX')).toBe(true);

    const violations = checkPrivacy({
      origin: baseUrl,
      requests: captured,
      media: {
        'source photo': readFileSync(samplePath(1)),
        'target photo': readFileSync(samplePath(2)),
        'result PNG': online,
      },
    });
    expect(violations).toEqual([]);
    expect(captured.some((r) => r.url.includes('/models/human/'))).toBe(true);

    // The Privacy screen, reached by keyboard, agrees.
    const link = page.getByRole('link', { name: 'Privacy' });
    await link.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.url()).toContain('#/privacy');
    const summary = page.getByTestId('privacy-summary');
    await summary.waitFor();
    expect(await summary.textContent()).toContain('0 bytes of your media sent');
    expect(await summary.textContent()).toMatch(/0 to anywhere else/);
    const rows = page.getByTestId('audit-row');
    const paths = await rows.evaluateAll((els) => els.map((e) => e.children[2]!.textContent ?? ''));
    expect(paths).toEqual(
      expect.arrayContaining(['/models/human/blazeface.bin', '/models/human/facemesh.bin']),
    );
    // After the reload the model files came from the service worker's cache, not the network.
    const sources = await rows.evaluateAll((els) =>
      els.map((e) => `${e.children[2]!.textContent} ${e.children[7]!.textContent}`),
    );
    expect(sources).toContain('/models/human/facemesh.bin cache');
    const kinds = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-kind')));
    expect(kinds).not.toContain('other');
    // Fits a 1366x768 screen without sideways scrolling.
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    expect(errors).toEqual([]);
  });
});
