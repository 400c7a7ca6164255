import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import type { PreviewServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPreview } from '../../scripts/lib/preview';
import { sampleFile } from '../fixtures/samples';
import { appPath, engineReady, offlineReady, slow, thumbs } from './ui';
import { launchOptions } from './chromium';

/**
 * The installed-app promise: after one online visit, the production build starts and swaps with the
 * network cut, also after the browser restarts (a persistent profile keeps the service worker and
 * its caches). Proof that nothing came from the network: the preview server counts every request.
 */

let server: PreviewServer;
let baseUrl: string;
let profile: string;
let context: BrowserContext | undefined;
let newVersion = false;
/** While true the server answers nothing (its sockets are cut), as if the machine were offline. */
let cut = false;
/** Paths the server was asked for while `cut`. */
let askedWhileCut: string[] = [];
/**
 * What may still reach the server with the network cut: the browser's own update check for the
 * service worker script (Chromium's offline emulation does not cover it); it fails, which is harmless.
 */
const updateCheck = '/sw.js';
/** Requests that failed in the browser, and uncaught page errors. */
let problems: string[] = [];

beforeAll(async () => {
  ({ server, url: baseUrl } = await startPreview());
  server.httpServer.prependListener('request', (request: IncomingMessage) => {
    if (!cut) return;
    askedWhileCut.push(request.url ?? '?');
    request.socket.destroy();
  });
  // Once `newVersion` is set, the server sends a changed service worker: a new version was deployed.
  server.middlewares.stack.unshift({
    route: '',
    handle: (request: IncomingMessage, response: ServerResponse, next: () => void) => {
      if (!newVersion || request.url !== '/sw.js') return next();
      response.setHeader('content-type', 'text/javascript');
      response.end(`${readFileSync('dist/sw.js', 'utf8')}\n// a new version\n`);
    },
  });
  profile = mkdtempSync(join(tmpdir(), 'doppel-offline-'));
});

afterAll(async () => {
  await context?.close();
  await server?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

function cutNetwork(): void {
  cut = true;
  askedWhileCut = [];
}

/** Nothing but the service worker update check reached the server while the network was cut. */
function expectNothingAskedWhileCut(): void {
  expect(askedWhileCut.filter((path) => path !== updateCheck)).toEqual([]);
}

async function launch(offline: boolean): Promise<Page> {
  context = await chromium.launchPersistentContext(profile, {
    ...launchOptions(),
    offline,
    viewport: { width: 1366, height: 768 },
  });
  await context.addInitScript(() => localStorage.setItem('doppel.consent', 'yes'));
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) =>
    problems.push(`failed: ${request.url()} ${request.failure()?.errorText}`),
  );
  return page;
}

async function swapThroughUi(page: Page): Promise<void> {
  await page.getByTestId('source-input').setInputFiles(sampleFile(1));
  await page.getByTestId('target-input').setInputFiles(sampleFile(2));
  await expect.poll(() => thumbs(page, 'source').count(), slow).toBeGreaterThanOrEqual(1);
  await expect.poll(() => thumbs(page, 'target').count(), slow).toBeGreaterThanOrEqual(1);
  await page.getByTestId('swap-button').click();
  await page.getByTestId('result-canvas').waitFor(slow);
  expect(await page.getByTestId('error').count()).toBe(0);
}

/** Cache Storage as the page sees it: cache name -> request paths. */
function cacheContents(page: Page): Promise<Record<string, string[]>> {
  return page.evaluate(async () => {
    const contents: Record<string, string[]> = {};
    for (const name of await caches.keys()) {
      const keys = await (await caches.open(name)).keys();
      contents[name] = keys.map((request) => new URL(request.url).pathname);
    }
    return contents;
  });
}

describe('installable offline app', () => {
  it('ships the cross-origin isolation and CSP headers for production hosts in dist/_headers', async () => {
    const request = (await launch(false)).request;
    const served = (await request.get(`${baseUrl}/`)).headers();
    const shipped = readFileSync('dist/_headers', 'utf8').split('\n').slice(1).filter(Boolean);
    const names = shipped.map((line) => line.trim().split(':')[0]!.toLowerCase());
    expect(names).toEqual(
      expect.arrayContaining(['cross-origin-opener-policy', 'cross-origin-embedder-policy']),
    );
    for (const line of shipped) {
      const [name, ...value] = line.trim().split(': ');
      expect(served[name!.toLowerCase()]).toBe(value.join(': '));
    }
    await context!.close();
    context = undefined;
  });

  it('serves a web app manifest with icons, file handlers and a share target', async () => {
    // Read over HTTP without loading the app, so that the next test's visit is the first one.
    const request = (await launch(false)).request;
    const html = await (await request.get(`${baseUrl}/`)).text();
    const href = /<link rel="manifest" href="([^"]+)"/.exec(html)?.[1];
    expect(href).toBe('/manifest.webmanifest');
    expect(html).toMatch(/<meta name="theme-color"/);
    const response = await request.get(`${baseUrl}${href}`);
    expect(response.status()).toBe(200);
    const manifest = (await response.json()) as {
      name: string;
      display: string;
      start_url: string;
      scope: string;
      icons: { src: string; sizes: string; purpose?: string }[];
      file_handlers: { action: string; accept: Record<string, string[]> }[];
      share_target: {
        action: string;
        method: string;
        enctype: string;
        params: { files: { accept: string[] }[] };
      };
    };
    expect(manifest).toMatchObject({ name: 'Doppel', display: 'standalone', start_url: '/', scope: '/' });
    expect(manifest.icons.map((i) => i.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));
    expect(manifest.icons.some((i) => i.purpose === 'maskable')).toBe(true);
    for (const icon of manifest.icons) {
      const got = await request.get(`${baseUrl}${icon.src}`);
      expect(`${icon.src} ${got.status()} ${got.headers()['content-type']}`).toMatch(
        / 200 image\/(png|svg\+xml)/,
      );
    }
    expect(Object.keys(manifest.file_handlers[0]!.accept)).toEqual(
      expect.arrayContaining(['image/jpeg', 'image/png', 'video/mp4']),
    );
    expect(manifest.share_target).toMatchObject({
      action: '/?share-target',
      method: 'POST',
      enctype: 'multipart/form-data',
    });
    expect(manifest.share_target.params.files[0]!.accept).toContain('image/*');
  });

  it('is installable, and after one online load reloads and swaps with the network cut; caches only what this device uses', async () => {
    const page = context!.pages()[0]!;
    problems = [];
    // The first visit: the engine loads its models and wasm while the service worker installs.
    await page.goto(`${baseUrl}${appPath}`);
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, slow);
    await engineReady(page);
    // The files the engine loaded before the service worker existed are adopted into its caches.
    await offlineReady(page);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    // Chromium's own install criteria (manifest, icons, service worker with a fetch handler): no errors.
    const cdp = await context!.newCDPSession(page);
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    expect(installabilityErrors).toEqual([]);
    await cdp.detach();

    const cached = await cacheContents(page);
    expect(cached['doppel-models']?.sort()).toEqual([
      '/models/human/blazeface.bin',
      '/models/human/blazeface.json',
      '/models/human/facemesh.bin',
      '/models/human/facemesh.json',
      '/models/human/handlandmark-lite.bin',
      '/models/human/handlandmark-lite.json',
      '/models/human/handtrack.bin',
      '/models/human/handtrack.json',
      '/models/human/iris.bin',
      '/models/human/iris.json',
    ]);
    // Only the one variant this device loaded, not all three.
    expect(cached['doppel-wasm']).toHaveLength(1);
    expect(cached['doppel-wasm']![0]).toMatch(/^\/wasm\/tfjs-backend-wasm.*\.wasm$/);
    const precache = Object.entries(cached).find(([name]) => name.includes('precache'))?.[1] ?? [];
    expect(precache).toEqual(expect.arrayContaining(['/index.html', '/models/manifest.json']));
    // The C2PA wasm is precached (every output is signed with it); the model files and the other wasm are not.
    expect(precache.some((path) => path.startsWith('/wasm/c2pa_bg.wasm'))).toBe(true);
    expect(
      precache.filter((path) => /^\/models\/human|^\/wasm\/(?!c2pa_bg\.wasm)|automation/.test(path)),
    ).toEqual([]);

    await context!.setOffline(true);
    cutNetwork();
    await page.reload();
    await engineReady(page);
    expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
    // The shell came from the precache with its COOP/COEP headers: still cross-origin isolated.
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    await swapThroughUi(page);

    expectNothingAskedWhileCut();
    expect(problems).toEqual([]);
  });

  it('after a browser restart, starts and swaps with the network cut from the first request', async () => {
    await context?.close();
    problems = [];
    cutNetwork();
    const page = await launch(true);
    await page.goto(`${baseUrl}${appPath}`);
    await engineReady(page);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    await swapThroughUi(page);

    expectNothingAskedWhileCut();
    expect(problems).toEqual([]);
  });

  it('takes a photo shared to the installed app (share target) as the target photo, offline', async () => {
    const page = context!.pages()[0]!;
    problems = [];
    cutNetwork();
    // What the OS does for a share: a multipart POST navigation to the manifest's share_target action.
    await page.evaluate(() => {
      const form = document.createElement('form');
      form.method = 'post';
      form.enctype = 'multipart/form-data';
      form.action = '/?share-target';
      form.innerHTML = '<input type="file" name="photos" data-testid="share-input" />';
      document.body.append(form);
    });
    await page.getByTestId('share-input').setInputFiles(sampleFile(3));
    await Promise.all([
      page.waitForURL((url) => url.search === '?shared' || url.search === ''),
      page.evaluate(() => document.querySelector<HTMLFormElement>('form[action="/?share-target"]')!.submit()),
    ]);
    await expect.poll(() => thumbs(page, 'target').count(), slow).toBeGreaterThanOrEqual(1);
    expect(await page.getByTestId('target-preview').getAttribute('alt')).toMatch(/sample3\.jpg/);
    expect(new URL(page.url()).search).toBe('');
    expect(await page.evaluate(() => caches.has('doppel-share'))).toBe(false);
    expectNothingAskedWhileCut();
    expect(problems).toEqual([]);
  });

  it('offers a new version and reloads only when the user accepts, after the running job', async () => {
    const page = context!.pages()[0]!;
    cut = false;
    await context!.setOffline(false);
    newVersion = true;
    await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => r?.update()));
    const banner = page.getByTestId('update-banner');
    await banner.waitFor(slow);
    expect(await banner.textContent()).toContain('A new version of Doppel is ready');
    expect(await banner.getAttribute('data-state')).toBe('ready');

    // Accepted while a photo is being analysed: the page waits for the job, then reloads.
    await page.evaluate(() => ((window as unknown as { beforeUpdate: boolean }).beforeUpdate = true));
    await page.getByTestId('source-input').setInputFiles(sampleFile(1));
    await page.getByTestId('source-panel').getByTestId('progress').waitFor();
    const reloaded = page.waitForEvent('load', slow);
    await banner.getByRole('button', { name: 'Reload to update' }).click();
    expect(await banner.textContent()).toContain('when the current job finishes');
    expect(await page.evaluate(() => 'beforeUpdate' in window)).toBe(true);
    await reloaded;
    expect(await page.evaluate(() => 'beforeUpdate' in window)).toBe(false);
    await engineReady(page);
    expect(await page.getByTestId('update-banner').count()).toBe(0);
    expect(
      await page.evaluate(() => navigator.serviceWorker.getRegistration().then((r) => !r?.waiting)),
    ).toBe(true);
  });
});
