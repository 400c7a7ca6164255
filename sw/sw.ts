/// <reference lib="webworker" />
import { clientsClaim, type WorkboxPlugin } from 'workbox-core';
import { CacheableResponsePlugin } from 'workbox-cacheable-response';
import { ExpirationPlugin } from 'workbox-expiration';
import {
  cleanupOutdatedCaches,
  createHandlerBoundToURL,
  matchPrecache,
  precacheAndRoute,
} from 'workbox-precaching';
import { RangeRequestsPlugin } from 'workbox-range-requests';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { CacheFirst, NetworkFirst, NetworkOnly } from 'workbox-strategies';
import { defaultConfig } from '../src/shared/config';
import { parseModelManifest } from '../src/shared/manifest';
import { cacheNames, runtimeWasmFiles, shareTarget, type SwMessage } from '../src/shared/runtime-files';
import { storeSharedFiles } from './share-target';
import { startNetworkAudit } from './audit';

/**
 * Doppel's service worker: the app shell and code are precached (the list is injected at build
 * time), and so is the small model manifest (it names the model files and their SHA-256, so a new
 * one is a new version of the app). Model files and the one tfjs `.wasm` variant this device loads
 * are cached on first use.
 * Responses keep the headers the server sent (COOP/COEP/CORP), so the page stays cross-origin
 * isolated when it is served from the caches.
 */
declare const self: ServiceWorkerGlobalScope & {
  __WB_MANIFEST: Array<{ url: string; revision: string | null }>;
};

const modelBase = new URL(defaultConfig.modelBaseUrl, self.location.href);
const wasmBase = new URL(defaultConfig.wasmBaseUrl, self.location.href);
const modelManifestUrl = new URL('manifest.json', modelBase).href;

// First, so that it sees every request and whatever answers it (see sw/audit.ts).
startNetworkAudit();

// A first install takes control at once (nothing older is running); an update waits until the
// user accepts it in the page, which then sends SKIP_WAITING.
clientsClaim();
cleanupOutdatedCaches();
precacheAndRoute(self.__WB_MANIFEST);

// The license API (same origin, /api/*): always the network, never a cache, whatever the method.
const licenseApi = new NetworkOnly();
for (const method of ['GET', 'POST', 'DELETE'] as const) {
  registerRoute(
    ({ url }) => url.origin === self.location.origin && url.pathname.startsWith('/api/'),
    licenseApi,
    method,
  );
}

// Every navigation inside the app (any query string, e.g. ?backend=wasm) gets the precached shell.
// Other pages (the automation page, the verify page) go to the network as usual.
registerRoute(
  new NavigationRoute(createHandlerBoundToURL('index.html'), { allowlist: [/^\/(index\.html)?(\?.*)?$/] }),
);

/** A range request that misses the cache fetches the whole file, so the cache holds complete files only. */
const wholeFileOnMiss: WorkboxPlugin = {
  requestWillFetch: async ({ request }) => {
    if (!request.headers.has('range')) return request;
    const headers = new Headers(request.headers);
    headers.delete('range');
    return new Request(request, { headers });
  },
};

/** The headers that keep the page cross-origin isolated and its policies in force (see vite.config.ts). */
const policyHeader = /^(cross-origin-|content-security-policy$|referrer-policy$|x-content-type-options$)/i;

/**
 * Workbox's RangeRequestsPlugin (a Range request is answered with a 206 slice of the cached file, with
 * the file's headers), except that its 416 reply to a range the file cannot satisfy, which it makes
 * with no headers at all, gets the cached file's policy headers too (COOP, COEP, CORP, CSP).
 */
function rangeRequests(): WorkboxPlugin {
  const plugin = new RangeRequestsPlugin();
  return {
    cachedResponseWillBeUsed: async (param) => {
      const policies = new Headers();
      param.cachedResponse?.headers.forEach((value, name) => {
        if (policyHeader.test(name)) policies.set(name, value);
      });
      const answer = await plugin.cachedResponseWillBeUsed!(param);
      if (answer?.status !== 416) return answer;
      const headers = new Headers(answer.headers);
      policies.forEach((value, name) => headers.set(name, value));
      return new Response(answer.body, { status: answer.status, statusText: answer.statusText, headers });
    },
  };
}

const completeFiles = [new CacheableResponsePlugin({ statuses: [200] }), rangeRequests(), wholeFileOnMiss];

const modelsFirstFromCache = new CacheFirst({ cacheName: cacheNames.models, plugins: completeFiles });
const modelsFromNetwork = new NetworkFirst({ cacheName: cacheNames.models, plugins: completeFiles });

const isUnder = (url: URL, base: URL) => url.origin === base.origin && url.pathname.startsWith(base.pathname);

// Model files (the manifest is precached, and that route comes first): cache first. A fetch that asks
// to bypass caches (the engine re-fetches a file whose SHA-256 did not match with cache: 'reload')
// goes to the network and replaces the bad cached copy. A 'no-store' fetch (the Models screen's
// download, which verifies each file's SHA-256 before it puts it in the cache itself) is left alone.
registerRoute(
  ({ url, request }) => isUnder(url, modelBase) && request.cache !== 'no-store',
  (options) => {
    const { cache } = options.request;
    const bypass = cache === 'reload' || cache === 'no-cache';
    return bypass ? modelsFromNetwork.handle(options) : modelsFirstFromCache.handle(options);
  },
);

// The wasm binaries: cache first, filled on first use, so only the tfjs variant this device loads is
// kept, and onnxruntime-web's only once the neural engine has run.
registerRoute(
  ({ url }) => isUnder(url, wasmBase),
  new CacheFirst({
    cacheName: cacheNames.wasm,
    plugins: [...completeFiles, new ExpirationPlugin({ maxEntries: runtimeWasmFiles.length })],
  }),
);

// Web Share Target: the OS posts the shared photos here; keep them and send the app to pick them up.
registerRoute(
  ({ url }) => url.origin === self.location.origin && url.href === new URL(shareTarget.action, url).href,
  async ({ request }) => {
    await storeSharedFiles(await request.formData());
    return Response.redirect(`/?${shareTarget.landingParam}`, 303);
  },
  'POST',
);

/**
 * Copies one file the page loaded before this worker controlled it from the HTTP cache into a
 * runtime cache (`only-if-cached` never touches the network). Returns whether the cache has it now.
 */
async function adopt(url: string, cacheName: string): Promise<boolean> {
  const cache = await caches.open(cacheName);
  if (await cache.match(url)) return true;
  const response = await fetch(url, { cache: 'only-if-cached', mode: 'same-origin' }).catch(() => null);
  if (response?.status !== 200) return false;
  await cache.put(url, response);
  return true;
}

/**
 * On the first visit the engine loaded its models and wasm before this worker existed, so they are
 * in the HTTP cache, not in ours: adopt the model files it loaded and whichever wasm variant the
 * device loaded, so the next start works offline. Returns how many files were adopted or held.
 */
async function adoptLoadedFiles(): Promise<number> {
  const wasm = await Promise.all(
    runtimeWasmFiles.map((name) => adopt(new URL(name, wasmBase).href, cacheNames.wasm)),
  );
  const manifest = await matchPrecache(modelManifestUrl);
  const { models } = manifest ? parseModelManifest(await manifest.json()) : { models: [] };
  const files = models.flatMap((m) => m.files).map((file) => new URL(file.path, modelBase).href);
  const held = await Promise.all(files.map((url) => adopt(url, cacheNames.models)));
  return [...wasm, ...held].filter(Boolean).length;
}

self.addEventListener('message', (event) => {
  const message = event.data as SwMessage | null;
  if (message?.type === 'SKIP_WAITING') {
    event.waitUntil(self.skipWaiting());
  } else if (message?.type === 'ADOPT_LOADED_FILES') {
    event.waitUntil(
      adoptLoadedFiles().then(
        (cached) => event.ports[0]?.postMessage({ ok: true, cached }),
        (error: unknown) => event.ports[0]?.postMessage({ ok: false, error: String(error) }),
      ),
    );
  }
});
