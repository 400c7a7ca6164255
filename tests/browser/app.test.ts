import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, JSHandle, Locator, Page } from 'playwright-core';
import type { PreviewServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPreview } from '../../scripts/lib/preview';
import { badInputs } from '../fixtures/bad-inputs';
import { appPath, clickThenAtOnce, offlineReady, resultAgainstTarget, slow, thumbs } from './ui';
import { sampleFile } from '../fixtures/samples';
import { launchChromium } from './chromium';

/**
 * The Swap screen of the production build (what `npm start` serves) driven through its UI, on the
 * WASM backend (SwiftShader WebGPU is too slow for 1920-px photos).
 */

let server: PreviewServer;
let baseUrl: string;
let browser: Browser;

beforeAll(async () => {
  ({ server, url: baseUrl } = await startPreview());
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function newContext(consented: boolean): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, acceptDownloads: true });
  if (consented) await context.addInitScript(() => localStorage.setItem('doppel.consent', 'yes'));
  return context;
}

/** Uncaught page errors and requests that leave our origin; each test expects none. */
let problems: string[] = [];

async function openApp(context: BrowserContext): Promise<Page> {
  const page = await context.newPage();
  problems = [];
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(baseUrl) && !/^(blob|data):/.test(url)) problems.push(`request to ${url}`);
  });
  await page.goto(`${baseUrl}${appPath}`);
  await page.locator('[data-testid="backend-status"][data-state="ready"]').waitFor(slow);
  return page;
}

const panel = (page: Page, slot: 'source' | 'target') => page.getByTestId(`${slot}-panel`);

async function expectError(scope: Locator, code: string): Promise<void> {
  const codes = () =>
    scope.getByTestId('error').evaluateAll((els) => els.map((e) => e.getAttribute('data-code')));
  await expect.poll(codes, slow).toEqual([code]);
}

/** A plain grey PNG (no face in it), drawn in the page. */
async function blankPng(page: Page): Promise<Buffer> {
  const base64 = await page.evaluate(async () => {
    const canvas = new OffscreenCanvas(320, 240);
    const context = canvas.getContext('2d')!;
    context.fillStyle = '#8899aa';
    context.fillRect(0, 0, 320, 240);
    const bytes = new Uint8Array(await (await canvas.convertToBlob({ type: 'image/png' })).arrayBuffer());
    return btoa(String.fromCharCode(...bytes));
  });
  return Buffer.from(base64, 'base64');
}

/** A DataTransfer holding one file, made in the page (for paste and drop events). */
function filesInPage(page: Page, bytes: Buffer, name: string, type: string): Promise<JSHandle<DataTransfer>> {
  return page.evaluateHandle(
    ({ bytes, name, type }) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([new Uint8Array(bytes)], name, { type }));
      return transfer;
    },
    { bytes: [...bytes], name, type },
  );
}

describe('Swap screen', () => {
  it('asks for consent first and is unusable until the user confirms', async () => {
    const context = await newContext(false);
    const page = await openApp(context);
    const dialog = page.getByTestId('consent-dialog');
    await expect.poll(() => dialog.isVisible(), slow).toBe(true);
    expect(await page.locator('main').getAttribute('inert')).not.toBeNull();
    await page.keyboard.press('Escape');
    expect(await dialog.isVisible()).toBe(true);
    await expect(page.getByTestId('source-zone').click({ timeout: 1000 })).rejects.toThrow();
    expect(await page.getByTestId('consent-accept').isDisabled()).toBe(true);

    await page.getByTestId('consent-checkbox').check();
    await page.getByTestId('consent-accept').click();
    await expect.poll(() => dialog.count(), slow).toBe(0);
    expect(await page.locator('main').getAttribute('inert')).toBeNull();
    expect(await page.evaluate(() => localStorage.getItem('doppel.consent'))).not.toBeNull();

    await page.reload();
    await page.getByTestId('source-zone').waitFor();
    expect(await page.getByTestId('consent-dialog').count()).toBe(0);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('with the network cut after load: finds faces, swaps them, compares before/after and downloads tagged images', async () => {
    const context = await newContext(true);
    const page = await openApp(context);
    expect(await page.getByTestId('backend-status').textContent()).toContain('WebAssembly');
    await offlineReady(page);
    await context.setOffline(true);
    const requestsAfterLoad: string[] = [];
    page.on('request', (request) => {
      if (!/^(blob|data):/.test(request.url())) requestsAfterLoad.push(request.url());
    });

    await page.getByTestId('source-input').setInputFiles(sampleFile(1));
    await page.getByTestId('target-input').setInputFiles(sampleFile(2));
    await expect.poll(() => thumbs(page, 'source').count(), slow).toBeGreaterThanOrEqual(1);
    await expect.poll(() => thumbs(page, 'target').count(), slow).toBeGreaterThanOrEqual(1);
    const sourcePressed = await thumbs(page, 'source').evaluateAll((els) => els.map((e) => e.ariaPressed));
    expect(sourcePressed.filter((p) => p === 'true')).toHaveLength(1);
    const targetPressed = await thumbs(page, 'target').evaluateAll((els) => els.map((e) => e.ariaPressed));
    expect(targetPressed.every((p) => p === 'true')).toBe(true);
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);

    const swapButton = page.getByTestId('swap-button');
    expect(await swapButton.isEnabled()).toBe(true);
    await swapButton.click();
    await page.locator('.swap-bar').getByTestId('progress').waitFor();
    await page.getByTestId('result-canvas').waitFor(slow);
    expect(await panel(page, 'target').getByTestId('error').count()).toBe(0);
    expect(await page.locator('.swap-bar').getByTestId('error').count()).toBe(0);

    const differing = await resultAgainstTarget(page);
    expect(differing.width).toBe(1920);
    expect(differing.changed).toBeGreaterThan(500);

    const divider = page.getByRole('slider', { name: 'Before and after divider' });
    expect(await divider.getAttribute('aria-valuenow')).toBe('50');
    await divider.focus();
    await page.keyboard.press('ArrowRight');
    expect(await divider.getAttribute('aria-valuenow')).toBe('55');
    await page.keyboard.press('Home');
    expect(await divider.getAttribute('aria-valuenow')).toBe('0');

    const [png] = await Promise.all([
      page.waitForEvent('download', slow),
      page.getByTestId('download-button').click(),
    ]);
    expect(png.suggestedFilename()).toBe('doppel-sample2.png');
    const pngBytes = readFileSync((await png.path())!);
    expect([...pngBytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(pngBytes.includes('compositeWithTrainedAlgorithmicMedia')).toBe(true);

    await page.getByTestId('format-select').selectOption('jpeg');
    const [jpeg] = await Promise.all([
      page.waitForEvent('download', slow),
      page.getByTestId('download-button').click(),
    ]);
    expect(jpeg.suggestedFilename()).toBe('doppel-sample2.jpg');
    const jpegBytes = readFileSync((await jpeg.path())!);
    expect([...jpegBytes.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
    expect(jpegBytes.includes('compositeWithTrainedAlgorithmicMedia')).toBe(true);

    await clickThenAtOnce(page, 'swap-button', 'cancel-button');
    await expectError(page.locator('.swap-bar'), 'CANCELLED');
    expect(await page.getByTestId('result-canvas').count()).toBe(1);
    expect(await page.getByTestId('swap-button').isEnabled()).toBe(true);
    expect(problems).toEqual([]);
    // Content Credentials load with the first download (c2pa-web, x509 and the C2PA wasm), and with
    // the network cut the service worker's precache answers them; nothing else is requested.
    const credentials = /\/wasm\/c2pa_bg\.wasm$|\/assets\/(dist|x509\.es)-[\w-]+\.js$/;
    expect(requestsAfterLoad.filter((url) => !credentials.test(url))).toEqual([]);
    await context.close();
  });

  it('shows what is wrong with a bad photo next to it and keeps the previous photo', async () => {
    const context = await newContext(true);
    const page = await openApp(context);
    const target = panel(page, 'target');

    await page.bringToFront();
    const [chooser] = await Promise.all([
      page.waitForEvent('filechooser'),
      page.getByTestId('target-zone').press('Enter'),
    ]);
    await chooser.setFiles(sampleFile(3));
    await expect.poll(() => thumbs(page, 'target').count(), slow).toBeGreaterThanOrEqual(1);
    const faces = await thumbs(page, 'target').count();
    const preview = await page.getByTestId('target-preview').getAttribute('src');

    const bad = [
      { file: { name: 'empty.jpg', mimeType: 'image/jpeg', buffer: Buffer.alloc(0) }, code: 'EMPTY_FILE' },
      {
        file: {
          name: 'notes.jpg',
          mimeType: 'image/jpeg',
          buffer: Buffer.from('not a photo, just some text\n'),
        },
        code: 'UNSUPPORTED_FORMAT',
      },
      {
        file: { name: 'cut.jpg', mimeType: 'image/jpeg', buffer: sampleFile(1).buffer.subarray(0, 3000) },
        code: 'UNSUPPORTED_FORMAT',
      },
      {
        file: { name: 'half.jpg', mimeType: 'image/jpeg', buffer: sampleFile(1).buffer.subarray(0, 60_000) },
        code: 'DECODE_FAILED',
      },
      ...badInputs()
        .filter((b) => b.code === 'IMAGE_TOO_LARGE')
        .map((b) => ({ file: { name: 'huge.png', mimeType: 'image/png', buffer: b.bytes }, code: b.code })),
    ];
    for (const { file, code } of bad) {
      await page.getByTestId('target-input').setInputFiles(file);
      await expectError(target, code);
      expect(await page.getByTestId('target-preview').getAttribute('src')).toBe(preview);
      expect(await thumbs(page, 'target').count()).toBe(faces);
      expect(await panel(page, 'source').getByTestId('error').count()).toBe(0);
    }

    await page.getByTestId('target-zone').blur();
    const pasted = await filesInPage(page, await blankPng(page), 'blank.png', 'image/png');
    await page.evaluate(
      (clipboardData) => window.dispatchEvent(new ClipboardEvent('paste', { clipboardData })),
      pasted,
    );
    await expectError(panel(page, 'source'), 'NO_FACE_FOUND');
    expect(await page.getByTestId('source-preview').getAttribute('alt')).toContain('blank.png');
    expect(await page.getByTestId('swap-button').isDisabled()).toBe(true);

    const drop = await filesInPage(page, sampleFile(4).buffer, 'sample4.jpg', 'image/jpeg');
    await page.getByTestId('target-zone').dispatchEvent('drop', { dataTransfer: drop });
    await expect
      .poll(() => page.getByTestId('target-preview').getAttribute('alt'), slow)
      .toContain('sample4.jpg');
    await expect.poll(() => page.getByTestId('target-zone').getAttribute('aria-busy'), slow).toBe('false');
    expect(await target.getByTestId('error').count()).toBe(0);
    expect(await page.getByTestId('target-preview').getAttribute('src')).not.toBe(preview);
    expect(await thumbs(page, 'target').count()).toBeGreaterThanOrEqual(1);
    expect(problems).toEqual([]);
    await context.close();
  });
});
