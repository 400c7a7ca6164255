import { classifyRequest, type AuditEntry, type RequestKind } from '../../shared/network-audit';

export interface AuditSummary {
  requests: number;
  /** Request body bytes that went past the service worker (to the network). */
  bytesUp: number;
  bytesDown: number;
  /** Requests to our own origin / to any other. */
  ours: number;
  elsewhere: number;
  byKind: Record<RequestKind, number>;
  upByKind: Record<RequestKind, number>;
  fromCache: number;
}

const zero = (): Record<RequestKind, number> => ({ app: 0, model: 0, license: 0, other: 0 });

export function summarize(entries: AuditEntry[], origin: string): AuditSummary {
  const summary: AuditSummary = {
    requests: entries.length,
    bytesUp: 0,
    bytesDown: 0,
    ours: 0,
    elsewhere: 0,
    byKind: zero(),
    upByKind: zero(),
    fromCache: 0,
  };
  for (const entry of entries) {
    const kind = classifyRequest(entry.url, origin);
    summary.byKind[kind]++;
    // A body the service worker answered itself (a photo shared to the app) never left the device.
    const sent = entry.source === 'cache' ? 0 : entry.bytesUp;
    summary.upByKind[kind] += sent;
    summary.bytesUp += sent;
    summary.bytesDown += entry.bytesDown ?? 0;
    if (new URL(entry.url, origin).origin === origin) summary.ours++;
    else summary.elsewhere++;
    if (entry.source === 'cache') summary.fromCache++;
  }
  return summary;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Bytes as people read them: 0 bytes, 532 bytes, 12.4 kB, 3.1 MB. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return plural(bytes, 'byte');
  if (bytes < 1_000_000) return `${(bytes / 1000).toFixed(1)} kB`;
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}

/**
 * The plain sentences at the top of the Privacy screen. Doppel has no upload at all, so the only
 * bytes that may go up are license checks; anything else sent up is named.
 */
export function describeSummary(s: AuditSummary): { media: string; requests: string; sources: string } {
  const otherUp = s.bytesUp - s.upByKind.license;
  const media =
    s.bytesUp === 0
      ? '0 bytes of your media sent: no request carried any data from this device.'
      : otherUp === 0
        ? `0 bytes of your media sent: ${formatBytes(s.bytesUp)} went to license checks only.`
        : `${formatBytes(s.bytesUp)} sent from this device (${formatBytes(s.upByKind.license)} to license checks, ${formatBytes(otherUp)} in other requests; see the table).`;
  const parts: string[] = [];
  if (s.byKind.app) parts.push(plural(s.byKind.app, 'app file'));
  if (s.byKind.model) parts.push(plural(s.byKind.model, 'model file'));
  if (s.byKind.license) parts.push(plural(s.byKind.license, 'license check'));
  const detail = parts.length ? ` (${parts.join(', ')})` : '';
  const requests = `${plural(s.requests, 'request')} since this page opened: ${s.ours} to this site${detail}, ${s.elsewhere} to anywhere else.`;
  const sources = `${s.fromCache} answered from this device's cache, ${s.requests - s.fromCache} from the network; ${formatBytes(s.bytesDown)} received.`;
  return { media, requests, sources };
}
