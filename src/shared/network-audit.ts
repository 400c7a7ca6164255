/**
 * The network audit: the service worker records every request that passes through it (from our
 * pages, their workers and the service worker itself) and the Privacy screen shows them. Shared
 * by the service worker (sw/audit.ts) and the app (src/app/privacy/).
 */

/** How many requests the service worker keeps in memory (the oldest drop out). */
export const auditRingSize = 500;

/** The BroadcastChannel on which the service worker announces each request as it completes. */
export const auditChannelName = 'doppel-network-audit';

/**
 * Where the response came from: `cache` (the service worker's caches), `network` (the service
 * worker fetched it), `browser` (the service worker let the browser fetch it; it cannot tell
 * whether the browser's HTTP cache answered).
 */
export type AuditSource = 'cache' | 'network' | 'browser';

export interface AuditEntry {
  /** Unique per service worker start: `${startedAt}-${n}`. */
  id: string;
  /** When the request reached the service worker (ms since the epoch). */
  time: number;
  method: string;
  url: string;
  /** Request body bytes (0 for GET and HEAD). */
  bytesUp: number;
  /** Response body bytes (Content-Length, or counted); null when unknown (opaque, failed, passed on). */
  bytesDown: number | null;
  source: AuditSource;
  /** HTTP status; null when the request failed or the browser fetched it. */
  status: number | null;
  /** `page` for requests from our pages and their workers; `service-worker` for its own (precache install). */
  initiator: 'page' | 'service-worker';
  /** Why it failed, when it did. */
  error?: string;
}

export interface AuditTotals {
  /** When this service worker instance started (ms since the epoch); it restarts after idling. */
  since: number;
  requests: number;
  bytesUp: number;
  bytesDown: number;
  fromCache: number;
  fromNetwork: number;
}

/** The page asks the service worker for what it has recorded (reply on the message port). */
export interface AuditRequest {
  type: 'NETWORK_AUDIT';
}

export interface AuditSnapshot {
  entries: AuditEntry[];
  totals: AuditTotals;
}

/** What the service worker posts on the audit channel. */
export interface AuditUpdate {
  type: 'entry';
  entry: AuditEntry;
  totals: AuditTotals;
}

/** What a request was for: our app code, our model files, the license API (/api/), or anything else. */
export type RequestKind = 'app' | 'model' | 'license' | 'other';

export const requestKindLabels: Record<RequestKind, string> = {
  app: 'app code',
  model: 'model files',
  license: 'license check',
  other: 'other',
};

/** Classifies a request URL seen from a page on `origin` (our own site). */
export function classifyRequest(url: string, origin: string): RequestKind {
  let parsed: URL;
  try {
    parsed = new URL(url, origin);
  } catch {
    return 'other';
  }
  if (parsed.origin !== origin) return 'other';
  if (parsed.pathname.startsWith('/api/')) return 'license';
  if (parsed.pathname.startsWith('/models/')) return 'model';
  return 'app';
}
