import { signal } from '@preact/signals';
import {
  auditChannelName,
  auditRingSize,
  type AuditEntry,
  type AuditRequest,
  type AuditSnapshot,
  type AuditTotals,
  type AuditUpdate,
} from '../../shared/network-audit';

/**
 * The page's view of the service worker's network audit: what it had recorded when asked, plus
 * every request it announces afterwards. The page keeps its own copy, so a service worker that
 * restarts after idling (and forgets its ring) loses nothing this page has already seen.
 */

/** 'unavailable': no service worker here (dev server, unsupported browser); 'waiting': not controlling yet. */
export type AuditState = 'unavailable' | 'waiting' | 'live';

export const auditState = signal<AuditState>('waiting');
/** Newest last, at most `auditRingSize`. */
export const auditEntries = signal<AuditEntry[]>([]);
/** Totals since the service worker last started, as it last reported them. */
export const auditTotals = signal<AuditTotals | null>(null);

/** Whether a service worker controlled this page when it loaded (otherwise the first requests went past it). */
export const controlledAtLoad =
  typeof navigator !== 'undefined' &&
  'serviceWorker' in navigator &&
  navigator.serviceWorker.controller !== null;

/** When this page opened (ms since the epoch). */
export const pageOpenedAt = Math.floor(performance.timeOrigin);

function merge(entries: AuditEntry[]): void {
  const known = new Set(auditEntries.value.map((e) => e.id));
  const fresh = entries.filter((e) => !known.has(e.id));
  if (fresh.length === 0) return;
  const all = [...auditEntries.value, ...fresh].sort((a, b) => a.time - b.time);
  auditEntries.value = all.slice(-auditRingSize);
}

function ask(worker: ServiceWorker): Promise<AuditSnapshot> {
  return new Promise((resolve) => {
    const { port1, port2 } = new MessageChannel();
    port1.onmessage = (event: MessageEvent<AuditSnapshot>) => resolve(event.data);
    const message: AuditRequest = { type: 'NETWORK_AUDIT' };
    worker.postMessage(message, [port2]);
  });
}

/** Starts listening; returns the function that stops. */
export function startAudit(): () => void {
  if (!('serviceWorker' in navigator) || typeof BroadcastChannel === 'undefined' || import.meta.hot) {
    auditState.value = 'unavailable';
    return () => undefined;
  }
  let stopped = false;
  const channel = new BroadcastChannel(auditChannelName);
  channel.onmessage = (event: MessageEvent<AuditUpdate>) => {
    if (event.data?.type !== 'entry') return;
    auditState.value = 'live';
    auditTotals.value = event.data.totals;
    merge([event.data.entry]);
  };
  const fetchSnapshot = () => {
    const worker = navigator.serviceWorker.controller;
    if (!worker || stopped) return;
    void ask(worker).then((snapshot) => {
      if (stopped) return;
      auditState.value = 'live';
      auditTotals.value = snapshot.totals;
      merge(snapshot.entries);
    });
  };
  fetchSnapshot();
  navigator.serviceWorker.addEventListener('controllerchange', fetchSnapshot);
  return () => {
    stopped = true;
    channel.close();
    navigator.serviceWorker.removeEventListener('controllerchange', fetchSnapshot);
  };
}

/** What the browser itself fetched for this page before a service worker controlled it. */
export function requestsBeforeControl(): { count: number; bytes: number } {
  if (controlledAtLoad) return { count: 0, bytes: 0 };
  const entries = [
    ...performance.getEntriesByType('navigation'),
    ...performance.getEntriesByType('resource'),
  ] as PerformanceResourceTiming[];
  const before = entries.filter((e) => e.workerStart === 0);
  return { count: before.length, bytes: before.reduce((sum, e) => sum + (e.transferSize || 0), 0) };
}
