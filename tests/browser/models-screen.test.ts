import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Page } from 'playwright-core';
import type { PreviewServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelManifest } from '../../src/shared/manifest';
import { offlineReady, openAppSession, type AppSession } from './ui';

/**
 * The Models screen of the production build: what the service worker's models cache holds, Delete,
 * and "Make available offline" (streamed, SHA-256 checked before caching, refused when space is short).
 * The corrupted file comes from the preview server (one byte changed), not page.route: the page is
 * controlled by the service worker, whose presence keeps page.route from seeing the download. So does
 * the slow download that is cancelled and resumed with a range request, and the cut network (the
 * server drops every socket: the browser's offline emulation does not cover the service worker).
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

let app: AppSession;
let page: Page;
/** While set, the server sends this model file with one byte changed. */
let corruptPath: string | null = null;
/** The big model file, streamed slowly by the test server for the cancel-and-resume tests. */
const big = face.files.find((file) => file.path.endsWith('facemesh.bin'))!;
const bigPath = `/models/${big.path}`;
/** Face model bytes that come before the big file in a download (the manifest's order). */
const beforeBig = face.files.slice(0, face.files.indexOf(big)).reduce((sum, file) => sum + file.bytes, 0);
/** One request for the big file while it is served slowly: what it asked for and what it got. */
interface SlowRequest {
  range: string | undefined;
  ifRange: string | undefined;
  status: number;
  /** Body bytes the server wrote. */
  sent: number;
}
/**
 * While set, the server streams the big file itself in 16 kB chunks, answers `Range: bytes=N-` with
 * 206 unless If-Range differs from its Last-Modified (then 200, the whole file), and holds a response
 * once it has sent `stallAt` bytes of the file.
 */
let slowServe: {
  lastModified: string;
  stallAt: number | null;
  requests: SlowRequest[];
  /** The response being sent now. */
  sending?: ServerResponse;
} | null = null;
/** While true the server answers nothing (its sockets are cut), as if the machine were offline. */
let cut = false;
/** Paths the server was asked for while `cut`. */
const askedWhileCut: string[] = [];

function serveSlowly(request: IncomingMessage, response: ServerResponse): void {
  const serving = slowServe!;
  const body = readFileSync(`dist${bigPath}`);
  const asked: SlowRequest = {
    range: request.headers.range,
    ifRange: [request.headers['if-range'] ?? []].flat()[0],
    status: 200,
    sent: 0,
  };
  serving.requests.push(asked);
  serving.sending = response;
  const range = /^bytes=(\d+)-$/.exec(asked.range ?? '');
  const current = asked.ifRange === undefined || asked.ifRange === serving.lastModified;
  let offset = 0;
  if (range && current) {
    offset = Number(range[1]);
    asked.status = 206;
    response.statusCode = 206;
    response.setHeader('content-range', `bytes ${offset}-${body.length - 1}/${body.length}`);
  }
  response.setHeader('content-type', 'application/octet-stream');
  response.setHeader('content-length', String(body.length - offset));
  response.setHeader('last-modified', serving.lastModified);
  response.setHeader('accept-ranges', 'bytes');
  let closed = false;
  response.on('close', () => (closed = true));
  const step = () => {
    if (closed) return;
    if (offset >= body.length) return void response.end();
    const stop = Math.min(offset + 16_384, body.length, serving.stallAt ?? Infinity);
    if (stop > offset) {
      response.write(body.subarray(offset, stop));
      asked.sent += stop - offset;
      offset = stop;
    }
    setTimeout(step, 15);
  };
  step();
}

/** The preview server's hooks: the cut network, the slow big file and the corrupted file. */
function hookServer(server: PreviewServer): void {
  server.httpServer.prependListener('request', (request: IncomingMessage) => {
    if (!cut) return;
    askedWhileCut.push(request.url ?? '?');
    request.socket.destroy();
  });
  server.middlewares.stack.unshift({
    route: '',
    handle: (request: IncomingMessage, response: ServerResponse, next: () => void) => {
      if (slowServe && request.url === bigPath) return serveSlowly(request, response);
      if (!corruptPath || request.url !== corruptPath) return next();
      const body = readFileSync(`dist${corruptPath}`);
      body.writeUInt8(body.readUInt8(1000) ^ 0xff, 1000);
      response.setHeader('content-type', 'application/octet-stream');
      response.end(body);
    },
  });
}

beforeAll(async () => {
  app = await openAppSession({
    onServer: hookServer,
    onContext: (context) =>
      context.addInitScript((flag) => {
        // A stand-in for a full disk: while the flag is set, the quota leaves 10 kB free.
        const estimate = navigator.storage.estimate.bind(navigator.storage);
        navigator.storage.estimate = async () =>
          localStorage.getItem(flag) ? { quota: 50_000, usage: 40_000 } : estimate();
      }, fullDiskFlag),
  });
  ({ page } = app);
});

afterAll(() => app?.close());

const row = () => page.locator('[data-testid="model-row"][data-model-id="human-face"]');
const status = () => row().getByTestId('model-status').textContent();

/** Paths of the face model's files in the models cache, as the page sees it (other models' left out). */
async function cachedFaceFiles(): Promise<string[]> {
  const paths = await page.evaluate(async () => {
    const keys = await (await caches.open('doppel-models')).keys();
    return keys.map((request) => new URL(request.url).pathname).sort();
  });
  return paths.filter((path) => faceUrls.includes(path));
}

/**
 * The bytes "Make available offline" must fetch: every model the screen does not show as available
 * offline (the hand models load with the engine; the face model was deleted; the face recogniser
 * loads on first use).
 */
async function missingBytes(): Promise<number> {
  let sum = 0;
  for (const model of manifest.models) {
    const shown = page.locator(`[data-testid="model-row"][data-model-id="${model.id}"]`);
    if ((await shown.getByTestId('model-status').textContent()) !== 'Available offline')
      sum += model.files.reduce((total, file) => total + file.bytes, 0);
  }
  return sum;
}

describe('Models screen', () => {
  it('lists the face model with its size, license and what it enables; cached after the first load', async () => {
    await page.goto(`${app.baseUrl}${appPath}`);
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, slow);
    await page.locator('[data-testid="backend-status"][data-state="ready"]').waitFor(slow);
    await offlineReady(page);
    await page.getByRole('link', { name: 'Models', exact: true }).click();
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
    try {
      const needed = `${(Math.ceil((await missingBytes()) * 1.1) / 1e6).toFixed(1)} MB`;
      expect(await message.textContent()).toMatch(new RegExp(`Not enough storage space.*${needed}.*10 kB`));
      expect(await message.getAttribute('data-code')).toBe('STORAGE_FULL');
      page.off('request', listen);
      expect(requested.filter((url) => url.includes('/models/human/'))).toEqual([]);
      expect(await cachedFaceFiles()).toEqual([]);
    } finally {
      await page.evaluate((flag) => localStorage.removeItem(flag), fullDiskFlag);
    }
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
    expect(app.problems).toEqual([]);
  });

  it('a cancelled download continues with a range request where it stopped; the whole file is checked and cached', async () => {
    await row().getByTestId('model-delete').click();
    await expect.poll(status, slow).toBe('Not downloaded');
    const half = Math.floor(big.bytes / 2);
    const requests = await interruptAt('Tue, 01 Apr 2025 10:00:00 GMT', half);

    // Resume: the progress starts from what was kept, and the server is asked only for the rest.
    slowServe!.stallAt = null;
    await page.getByTestId('make-offline').click();
    const done = Number(await page.getByTestId('download-progress').getAttribute('data-done'));
    expect(done).toBeGreaterThanOrEqual(half);
    await expect.poll(status, slow).toBe('Available offline');
    expect(requests.map(({ range, ifRange, status }) => ({ range, ifRange, status }))).toEqual([
      { range: undefined, ifRange: undefined, status: 200 },
      { range: `bytes=${half}-`, ifRange: 'Tue, 01 Apr 2025 10:00:00 GMT', status: 206 },
    ]);
    // About one file crossed the network, not one and a half.
    expect(requests.reduce((sum, request) => sum + request.sent, 0)).toBe(big.bytes);
    await expectBigFileCached();
    slowServe = null;
  });

  it('a download whose connection dropped continues where it stopped', async () => {
    await row().getByTestId('model-delete').click();
    await expect.poll(status, slow).toBe('Not downloaded');
    const quarter = Math.floor(big.bytes / 4);
    const requests = await interruptAt('Tue, 01 Apr 2025 10:00:00 GMT', quarter, 'drop');
    slowServe!.stallAt = null;
    await page.getByTestId('make-offline').click();
    await expect.poll(status, slow).toBe('Available offline');
    expect(requests.map(({ range, status }) => ({ range, status }))).toEqual([
      { range: undefined, status: 200 },
      { range: `bytes=${quarter}-`, status: 206 },
    ]);
    expect(requests.reduce((sum, request) => sum + request.sent, 0)).toBe(big.bytes);
    await expectBigFileCached();
    slowServe = null;
  });

  it('starts over with the whole file when it changed on the server since (If-Range)', async () => {
    await row().getByTestId('model-delete').click();
    await expect.poll(status, slow).toBe('Not downloaded');
    const third = Math.floor(big.bytes / 3);
    const requests = await interruptAt('Tue, 01 Apr 2025 10:00:00 GMT', third);
    slowServe!.lastModified = 'Wed, 02 Apr 2025 10:00:00 GMT';
    slowServe!.stallAt = null;
    await page.getByTestId('make-offline').click();
    await expect.poll(status, slow).toBe('Available offline');
    expect(requests.map(({ range, status }) => ({ range, status }))).toEqual([
      { range: undefined, status: 200 },
      { range: `bytes=${third}-`, status: 200 },
    ]);
    expect(requests[1]!.sent).toBe(big.bytes);
    await expectBigFileCached();
    expect(await page.getByTestId('download-paused').count()).toBe(0);
    slowServe = null;
  });

  it('answers a Range request for a cached model file from the cache, with the network cut', async () => {
    cut = true;
    askedWhileCut.length = 0;
    try {
      const got = await page.evaluate(async (url) => {
        const response = await fetch(url, { headers: { Range: 'bytes=100-199' } });
        return {
          status: response.status,
          contentRange: response.headers.get('content-range'),
          bytes: Array.from(new Uint8Array(await response.arrayBuffer())),
        };
      }, bigPath);
      expect(got.status).toBe(206);
      expect(got.contentRange).toBe(`bytes 100-199/${big.bytes}`);
      expect(got.bytes).toEqual(Array.from(readFileSync(`dist${bigPath}`).subarray(100, 200)));
      // Nothing reached the server but, perhaps, the browser's own service worker update check.
      expect(askedWhileCut.filter((path) => path !== '/sw.js')).toEqual([]);
    } finally {
      cut = false;
    }
    expect(app.problems).toEqual([]);
  });
});

/**
 * Starts "Make available offline" with the big file served slowly (validator `lastModified`), waits
 * until the page has received `stallAt` bytes of it, then presses Cancel, or drops the connection.
 * Returns the server's request log.
 */
async function interruptAt(
  lastModified: string,
  stallAt: number,
  how: 'cancel' | 'drop' = 'cancel',
): Promise<SlowRequest[]> {
  slowServe = { lastModified, stallAt, requests: [] };
  await page.getByTestId('make-offline').click();
  const progress = page.getByTestId('download-progress');
  await expect.poll(() => progress.getAttribute('data-done'), slow).toBe(String(beforeBig + stallAt));
  if (how === 'cancel') await progress.getByTestId('cancel-button').click();
  else slowServe.sending!.socket!.destroy();
  await progress.waitFor({ state: 'detached' });
  expect(await status()).toBe('Not downloaded');
  const error = row().getByTestId('error');
  if (how === 'cancel') expect(await error.count()).toBe(0);
  else expect(await error.getAttribute('data-code')).toBe('MODEL_LOAD_FAILED');
  expect(await cachedFaceFiles()).not.toContain(bigPath);
  expect(await page.getByTestId('download-paused').getAttribute('data-bytes')).toBe(String(stallAt));
  expect(slowServe.requests).toHaveLength(1);
  return slowServe.requests;
}

/** The big file is in the models cache, whole: its size and SHA-256 match the manifest. */
async function expectBigFileCached(): Promise<void> {
  expect(await cachedFaceFiles()).toEqual(faceUrls);
  const cached = await page.evaluate(async (url) => {
    const response = (await (await caches.open('doppel-models')).match(url))!;
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', await response.arrayBuffer()));
    return {
      status: response.status,
      contentRange: response.headers.get('content-range'),
      sha256: Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join(''),
    };
  }, bigPath);
  expect(cached).toEqual({ status: 200, contentRange: null, sha256: big.sha256 });
  expect(await row().getByTestId('error').count()).toBe(0);
}
