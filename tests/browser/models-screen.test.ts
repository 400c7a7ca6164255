import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { PreviewServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPreview } from '../../scripts/lib/preview';
import type { ModelManifest } from '../../src/shared/manifest';
import { launchChromium } from './chromium';

/**
 * The Models screen of the production build: what the service worker's models cache holds, Delete,
 * and "Make available offline" (streamed, SHA-256 checked before caching, refused when space is short).
 * The corrupted file comes from the preview server (one byte changed), not page.route: the page is
 * controlled by the service worker, whose presence keeps page.route from seeing the download.
 */

const appPath = '/?backend=wasm';
/** Engine start on the CPU path of a 2-core machine. */
const slow = { timeout: 90_000 };
const manifest = JSON.parse(readFileSync('public/models/manifest.json', 'utf8')) as ModelManifest;
const face = manifest.models.find((m) => m.id === 'human-face')!;
const faceBytes = face.files.reduce((sum, file) => sum + file.bytes, 0);
const faceUrls = face.files.map((file) => `/models/${file.path}`).sort();
/** localStorage flag that makes the stubbed `navigator.storage.estimate` report a nearly full disk. */
const fullDiskFlag = 'test.full-disk';

let server: PreviewServer;
let baseUrl: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const problems: string[] = [];
/** While set, the server sends this model file with one byte changed. */
let corruptPath: string | null = null;

beforeAll(async () => {
  ({ server, url: baseUrl } = await startPreview());
  server.middlewares.stack.unshift({
    route: '',
    handle: (request: IncomingMessage, response: ServerResponse, next: () => void) => {
      if (!corruptPath || request.url !== corruptPath) return next();
      const body = readFileSync(`dist${corruptPath}`);
      body.writeUInt8(body.readUInt8(1000) ^ 0xff, 1000);
      response.setHeader('content-type', 'application/octet-stream');
      response.end(body);
    },
  });
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  await context.addInitScript((flag) => {
    localStorage.setItem('doppel.consent', 'yes');
    // A stand-in for a full disk: while the flag is set, the quota leaves 10 kB free.
    const estimate = navigator.storage.estimate.bind(navigator.storage);
    navigator.storage.estimate = async () =>
      localStorage.getItem(flag) ? { quota: 50_000, usage: 40_000 } : estimate();
  }, fullDiskFlag);
  page = await context.newPage();
  page.on('pageerror', (error) => problems.push(error.message));
});

afterAll(async () => {
  await context?.close();
  await browser?.close();
  await server?.close();
});

const row = () => page.locator('[data-testid="model-row"][data-model-id="human-face"]');
const status = () => row().getByTestId('model-status').textContent();

/** Paths of the face model's files in the models cache, as the page sees it. */
function cachedFaceFiles(): Promise<string[]> {
  return page.evaluate(async () => {
    const keys = await (await caches.open('doppel-models')).keys();
    return keys.map((request) => new URL(request.url).pathname).sort();
  });
}

describe('Models screen', () => {
  it('lists the face model with its size, license and what it enables; cached after the first load', async () => {
    await page.goto(`${baseUrl}${appPath}`);
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, slow);
    await page.locator('[data-testid="backend-status"][data-state="ready"]').waitFor(slow);
    await page.waitForFunction(() => document.documentElement.dataset.offline === 'ready', undefined, slow);
    await page.getByRole('link', { name: 'Models' }).click();
    await row().waitFor();
    expect(await row().locator('th').textContent()).toContain(face.name);
    expect(await row().getByTestId('model-size').textContent()).toBe(`${(faceBytes / 1e6).toFixed(1)} MB`);
    expect(await row().getByTestId('model-license').textContent()).toBe(face.license);
    expect(await row().getByTestId('model-enables').textContent()).toMatch(/face detection and face mesh/);
    await expect.poll(status, slow).toBe('Available offline');
    expect(await cachedFaceFiles()).toEqual(faceUrls);
  });

  it('Delete removes the model files from the cache and the row says not downloaded', async () => {
    await row().getByTestId('model-delete').click();
    await expect.poll(status, slow).toBe('Not downloaded');
    expect(await cachedFaceFiles()).toEqual([]);
  });

  it('does not start a download when the quota is too small (stand-in for a full disk) and says why', async () => {
    await page.evaluate((flag) => localStorage.setItem(flag, '1'), fullDiskFlag);
    const requested: string[] = [];
    const listen = (request: { url: () => string }) => requested.push(request.url());
    page.on('request', listen);
    await page.getByTestId('make-offline').click();
    const message = page.getByTestId('space-problem');
    await message.waitFor();
    const needed = `${(Math.ceil(faceBytes * 1.1) / 1e6).toFixed(1)} MB`;
    expect(await message.textContent()).toMatch(new RegExp(`Not enough storage space.*${needed}.*10 kB`));
    page.off('request', listen);
    expect(requested.filter((url) => url.includes('/models/human/'))).toEqual([]);
    expect(await cachedFaceFiles()).toEqual([]);
    await page.evaluate((flag) => localStorage.removeItem(flag), fullDiskFlag);
  });

  it('refuses a corrupted file with MODEL_CORRUPT and does not cache it', async () => {
    const bad = face.files.find((file) => file.path.endsWith('facemesh.bin'))!;
    corruptPath = `/models/${bad.path}`;
    await page.getByTestId('make-offline').click();
    const error = row().getByTestId('error');
    await error.waitFor(slow);
    expect(await error.getAttribute('data-code')).toBe('MODEL_CORRUPT');
    expect(await error.textContent()).toContain('SHA-256 mismatch');
    expect(await page.getByTestId('space-problem').count()).toBe(0);
    expect(await status()).toBe('Not downloaded');
    expect(await cachedFaceFiles()).not.toContain(`/models/${bad.path}`);
    corruptPath = null;
  });

  it('Make available offline downloads the model back and asks for persistent storage', async () => {
    await page.getByTestId('make-offline').click();
    await expect.poll(status, slow).toBe('Available offline');
    expect(await row().getByTestId('error').count()).toBe(0);
    expect(await cachedFaceFiles()).toEqual(faceUrls);
    const sizes = await page.evaluate(async (urls) => {
      const cache = await caches.open('doppel-models');
      return Promise.all(urls.map(async (url) => (await (await cache.match(url))!.arrayBuffer()).byteLength));
    }, faceUrls);
    const byPath = new Map(face.files.map((file) => [`/models/${file.path}`, file.bytes]));
    expect(sizes).toEqual(faceUrls.map((url) => byPath.get(url)));
    expect(await page.getByTestId('storage-persistence').getAttribute('data-persistent')).toMatch(
      /^(true|false)$/,
    );
    expect(problems).toEqual([]);
  });
});
