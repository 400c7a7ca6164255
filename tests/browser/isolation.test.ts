import type { Browser, BrowserContext, Page, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './chromium';
import { startServe, type ServeProcess } from './serve-process';
import { appPath, engineReady, offlineReady } from './ui';

/**
 * Cross-origin isolation (SharedArrayBuffer, so WASM threads) needs COOP and COEP on the page and
 * CORP (or CORS) on everything it embeds: every response `npm start` (scripts/serve.ts) sends, the
 * license API's and error replies included, and every response the service worker makes from its
 * caches, online and offline, a Range request's partial reply too, must carry them.
 */
const isolation = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-embedder-policy': 'require-corp',
  'cross-origin-resource-policy': 'same-origin',
};

interface Seen {
  path: string;
  status: number;
  /** Answered by the service worker (from its caches, or its own fetch). */
  fromServiceWorker: boolean;
  headers: Record<string, string>;
}

let serve: ServeProcess;
let url: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;
/** Every same-origin response the page, its workers and the service worker received, in order. */
let seen: Promise<Seen>[] = [];

async function record(response: Response): Promise<Seen> {
  return {
    path: response.url().slice(url.length),
    status: response.status(),
    fromServiceWorker: response.fromServiceWorker(),
    headers: await response.allHeaders(),
  };
}

/** The responses seen so far (and forgets them): each with whichever isolation header is wrong. */
async function takeSeen(): Promise<{ all: Seen[]; wrong: string[] }> {
  const all = await Promise.all(seen);
  seen = [];
  const wrong = all.flatMap(({ path, status, headers }) =>
    Object.entries(isolation)
      .filter(([name, value]) => headers[name] !== value)
      .map(([name]) => `${status} ${path} ${name}: ${headers[name] ?? '(none)'}`),
  );
  return { all, wrong };
}

/** Whether the page and each of its workers (the engine worker, tfjs's pthreads) are cross-origin isolated. */
async function isolated(): Promise<{ page: boolean; workers: Record<string, boolean> }> {
  const workers: Record<string, boolean> = {};
  for (const worker of page.workers()) {
    workers[worker.url().replace(url, '')] = await worker.evaluate(() => self.crossOriginIsolated);
  }
  return { page: await page.evaluate(() => crossOriginIsolated), workers };
}

/** Fetches from the page: status, and the isolation headers of the reply as the page sees them. */
function fetchInPage(path: string, init: { method?: string; headers?: Record<string, string> } = {}) {
  return page.evaluate(
    async ([path, init, names]) => {
      const response = await fetch(path, init);
      await response.arrayBuffer();
      return { status: response.status, headers: names.map((name) => response.headers.get(name)) };
    },
    [path, init, Object.keys(isolation)] as const,
  );
}

beforeAll(async () => {
  serve = await startServe('isolation');
  url = serve.url;
  browser = await launchChromium();
  context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  await context.addInitScript(() => localStorage.setItem('doppel.consent', 'yes'));
  // The context's events include the dedicated workers' and the service worker's own fetches.
  context.on('response', (response) => {
    if (response.url().startsWith(`${url}/`)) seen.push(record(response));
  });
  page = await context.newPage();
});

afterAll(async () => {
  await browser?.close();
  serve?.stop();
});

describe('cross-origin isolation under npm start', () => {
  it('puts COOP, COEP and CORP on every response the server sends, error replies included', async () => {
    await page.goto(`${url}${appPath}`);
    await engineReady(page);
    // The service worker took control and adopted the loaded models and wasm into its caches.
    await offlineReady(page);
    const manifest = (await page.evaluate(() => fetch('/manifest.webmanifest').then((r) => r.json()))) as {
      icons: { src: string }[];
    };
    for (const icon of manifest.icons) expect((await fetchInPage(icon.src)).status).toBe(200);
    const json = { accept: 'application/json', 'content-type': 'application/json' };
    expect(await fetchInPage('/api/nonce', { method: 'POST', headers: json })).toMatchObject({ status: 201 });
    expect(await fetchInPage('/api/no-such-route', { headers: json })).toEqual({
      status: 404,
      headers: Object.values(isolation),
    });
    expect(await fetchInPage('/no-such-file.json', { headers: json })).toEqual({
      status: 404,
      headers: Object.values(isolation),
    });

    const { all, wrong } = await takeSeen();
    expect(wrong).toEqual([]);
    const paths = all.map(({ path, status }) => `${status} ${path}`);
    for (const kind of [
      /^200 \/\?backend=wasm$/,
      /^200 \/assets\/main-.*\.js$/,
      /^200 \/assets\/main-.*\.css$/,
      /^200 \/assets\/engine\.worker-.*\.js$/,
      /^200 \/sw\.js$/,
      /^200 \/wasm\/tfjs-backend-wasm-threaded-simd\.wasm$/,
      /^200 \/models\/human\/facemesh\.bin$/,
      /^200 \/manifest\.webmanifest$/,
      /^200 \/icons\//,
      /^201 \/api\/nonce$/,
      /^404 \/api\/no-such-route$/,
      /^404 \/no-such-file\.json$/,
    ]) {
      expect(paths, String(kind)).toContainEqual(expect.stringMatching(kind));
    }
    // Isolated, so tfjs loaded its threaded WASM build, which needs SharedArrayBuffer.
    const state = await isolated();
    expect(state.page).toBe(true);
    expect(Object.keys(state.workers)).toContainEqual(expect.stringMatching(/engine\.worker/));
    expect(Object.values(state.workers).every(Boolean), JSON.stringify(state.workers)).toBe(true);
    expect(await page.getByTestId('backend-status').textContent()).not.toMatch(/not cross-origin isolated/);
  });

  it('keeps them on what the service worker serves from its caches, Range replies included, also offline', async () => {
    for (const offline of [false, true]) {
      await context.setOffline(offline);
      await page.reload();
      await engineReady(page);
      const range = await fetchInPage('/models/human/facemesh.bin', { headers: { range: 'bytes=100-199' } });
      expect(range).toEqual({ status: 206, headers: Object.values(isolation) });
      const beyond = await fetchInPage('/models/human/facemesh.bin', {
        headers: { range: 'bytes=999999999-999999999' },
      });
      expect(beyond).toEqual({ status: 416, headers: Object.values(isolation) });

      const { all, wrong } = await takeSeen();
      expect(wrong).toEqual([]);
      const fromCaches = all
        .filter((r) => r.fromServiceWorker)
        .map(({ path, status }) => `${status} ${path}`);
      for (const kind of [
        /^200 \/\?backend=wasm$/,
        /^200 \/assets\/main-.*\.js$/,
        /^200 \/assets\/main-.*\.css$/,
        /^200 \/assets\/engine\.worker-.*\.js$/,
        /^200 \/wasm\/tfjs-backend-wasm-threaded-simd\.wasm$/,
        /^200 \/models\/human\/facemesh\.bin$/,
        /^206 \/models\/human\/facemesh\.bin$/,
        /^416 \/models\/human\/facemesh\.bin$/,
      ]) {
        expect(fromCaches, `${String(kind)} offline: ${offline}`).toContainEqual(expect.stringMatching(kind));
      }
      const state = await isolated();
      expect(state.page).toBe(true);
      expect(Object.keys(state.workers)).toContainEqual(expect.stringMatching(/engine\.worker/));
      expect(Object.values(state.workers).every(Boolean), JSON.stringify(state.workers)).toBe(true);
    }
  });
});
