/// <reference lib="webworker" />
import {
  auditChannelName,
  auditRingSize,
  type AuditEntry,
  type AuditRequest,
  type AuditSnapshot,
  type AuditSource,
  type AuditTotals,
  type AuditUpdate,
} from '../src/shared/network-audit';

/**
 * The network audit: records every request that passes through this service worker in a bounded
 * in-memory ring and announces each one on a BroadcastChannel. It never delays or consumes what the
 * page needs: sizes come from Content-Length where there is one, otherwise from a clone that is
 * read alongside the page's copy.
 */
declare const self: ServiceWorkerGlobalScope;

const startedAt = Date.now();
let counter = 0;
const ring: AuditEntry[] = [];
const totals: AuditTotals = {
  since: startedAt,
  requests: 0,
  bytesUp: 0,
  bytesDown: 0,
  fromCache: 0,
  fromNetwork: 0,
};
let channel: BroadcastChannel | null = null;

/** URLs (without fragment) of page requests being answered now -> whether the worker fetched them from the network. */
const inFlight = new Map<string, { network: boolean }[]>();

const withoutHash = (url: string) => url.split('#')[0] ?? url;

function record(entry: Omit<AuditEntry, 'id'>): void {
  const full: AuditEntry = { id: `${startedAt}-${++counter}`, ...entry };
  ring.push(full);
  if (ring.length > auditRingSize) ring.splice(0, ring.length - auditRingSize);
  totals.requests++;
  totals.bytesUp += full.bytesUp;
  totals.bytesDown += full.bytesDown ?? 0;
  if (full.source === 'cache') totals.fromCache++;
  else totals.fromNetwork++;
  try {
    channel ??= new BroadcastChannel(auditChannelName);
    const update: AuditUpdate = { type: 'entry', entry: full, totals: { ...totals } };
    channel.postMessage(update);
  } catch {
    // No listener API here: the ring still has it.
  }
}

/** Body bytes of a response: Content-Length when given, else counted from a clone; null when opaque. */
function responseBytes(response: Response): Promise<number | null> {
  if (response.type === 'opaque' || response.type === 'opaqueredirect') return Promise.resolve(null);
  const length = response.headers.get('content-length');
  if (length !== null && /^\d+$/.test(length)) return Promise.resolve(Number(length));
  if (!response.body) return Promise.resolve(0);
  const reader = response.clone().body!.getReader();
  let bytes = 0;
  const read = (): Promise<number> =>
    reader.read().then(({ done, value }) => {
      if (done) return bytes;
      bytes += value.byteLength;
      return read();
    });
  return read().catch(() => bytes);
}

/** Body bytes of a request, from a clone taken before any handler reads it. */
function requestBytes(request: Request): Promise<number> {
  if (request.method === 'GET' || request.method === 'HEAD' || !request.body) return Promise.resolve(0);
  const length = request.headers.get('content-length');
  if (length !== null && /^\d+$/.test(length)) return Promise.resolve(Number(length));
  return request
    .clone()
    .arrayBuffer()
    .then((body) => body.byteLength)
    .catch(() => 0);
}

const urlOf = (input: RequestInfo | URL): string =>
  typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;

/**
 * Every fetch the worker makes goes through here: one made while answering a page request for the
 * same URL marks that request as served from the network; any other (the precache install) is
 * recorded as the worker's own. Fetches that may only read the HTTP cache are not network traffic.
 */
function watchOwnFetches(): void {
  const original = self.fetch.bind(self);
  self.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
    const time = Date.now();
    const result = original(input, init);
    try {
      const cacheMode = init?.cache ?? (input instanceof Request ? input.cache : undefined);
      if (cacheMode === 'only-if-cached') return result;
      const url = new URL(urlOf(input), self.location.href).href;
      const waiting = inFlight.get(withoutHash(url));
      if (waiting?.length) {
        for (const page of waiting) page.network = true;
        return result;
      }
      const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
      void result.then(
        async (response) => {
          const bytesDown = await responseBytes(response);
          record({
            time,
            method,
            url,
            bytesUp: 0,
            bytesDown,
            source: 'network',
            status: response.status,
            initiator: 'service-worker',
          });
        },
        (error: unknown) =>
          record({
            time,
            method,
            url,
            bytesUp: 0,
            bytesDown: null,
            source: 'network',
            status: null,
            initiator: 'service-worker',
            error: String(error),
          }),
      );
    } catch {
      // Auditing never breaks a fetch.
    }
    return result;
  };
}

/** Wraps `respondWith` of each fetch event, so whatever answers the request (workbox routes) is recorded. */
function onFetch(event: FetchEvent): void {
  const { request } = event;
  const time = Date.now();
  const url = request.url;
  const key = withoutHash(url);
  const up = requestBytes(request);
  const state = { network: false };
  let responded = false;
  const original = event.respondWith.bind(event);

  const done = () => {
    const list = inFlight.get(key);
    if (!list) return;
    list.splice(list.indexOf(state), 1);
    if (list.length === 0) inFlight.delete(key);
  };

  event.respondWith = (response: Response | PromiseLike<Response>) => {
    responded = true;
    inFlight.set(key, [...(inFlight.get(key) ?? []), state]);
    const answered = Promise.resolve(response).then(
      (res) => {
        done();
        const source: AuditSource = state.network ? 'network' : 'cache';
        void Promise.all([up, responseBytes(res)]).then(([bytesUp, bytesDown]) =>
          record({
            time,
            method: request.method,
            url,
            bytesUp,
            bytesDown,
            source,
            status: res.status,
            initiator: 'page',
          }),
        );
        return res;
      },
      (error: unknown) => {
        done();
        void up.then((bytesUp) =>
          record({
            time,
            method: request.method,
            url,
            bytesUp,
            bytesDown: null,
            source: state.network ? 'network' : 'cache',
            status: null,
            initiator: 'page',
            error: String(error),
          }),
        );
        throw error;
      },
    );
    original(answered);
  };

  // No route answered it (other origins, pages outside the app shell): the browser fetches it itself.
  setTimeout(() => {
    if (responded) return;
    void up.then((bytesUp) =>
      record({
        time,
        method: request.method,
        url,
        bytesUp,
        bytesDown: null,
        source: 'browser',
        status: null,
        initiator: 'page',
      }),
    );
  }, 0);
}

/**
 * Starts the audit. Call before any route is registered: the fetch listener must run first, so that
 * it sees every request and wraps the response of whichever handler answers it.
 */
export function startNetworkAudit(): void {
  watchOwnFetches();
  self.addEventListener('fetch', onFetch);
  self.addEventListener('message', (event) => {
    const message = event.data as AuditRequest | null;
    if (message?.type !== 'NETWORK_AUDIT') return;
    const snapshot: AuditSnapshot = { entries: [...ring], totals: { ...totals } };
    event.ports[0]?.postMessage(snapshot);
  });
}
