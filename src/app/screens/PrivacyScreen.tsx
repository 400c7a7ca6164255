import { useEffect } from 'preact/hooks';
import '../privacy/privacy.css';
import { AuditTable } from '../privacy/AuditTable';
import {
  auditEntries,
  auditState,
  auditTotals,
  controlledAtLoad,
  pageOpenedAt,
  requestsBeforeControl,
  startAudit,
} from '../privacy/audit';
import { describeSummary, formatBytes, summarize } from '../privacy/summary';
import { TransparencyReport } from '../privacy/TransparencyReport';

/**
 * The Privacy screen: every request the service worker saw, live, with a plain summary on top, then
 * the license server's verified report on what it stores.
 * Mounted with the app (hidden until chosen), so it records from the moment the page opens.
 */
export function PrivacyScreen() {
  useEffect(() => startAudit(), []);
  const origin = location.origin;
  const sincePageOpened = auditEntries.value.filter((e) => e.time >= pageOpenedAt);
  const text = describeSummary(summarize(sincePageOpened, origin));
  const totals = auditTotals.value;
  const before = controlledAtLoad ? null : requestsBeforeControl();

  return (
    <section class="privacy" aria-labelledby="privacy-title">
      <h2 id="privacy-title">Network audit</h2>
      {auditState.value === 'unavailable' ? (
        <p data-testid="privacy-summary">
          The network audit runs in the app's service worker, which is not running here (it is part of the
          built, installable app, not the development server).
        </p>
      ) : (
        <div class="privacy-summary" data-testid="privacy-summary" aria-live="polite">
          <p class="privacy-media">{text.media}</p>
          <p>{text.requests}</p>
          <p>{text.sources}</p>
        </div>
      )}
      {before && (
        <p class="privacy-note" data-testid="privacy-before-control">
          This page opened before the service worker was running, so its first requests (the page, its code
          and the face models) went straight to the network and are not in the table: the browser counts{' '}
          {before.count} of them, {formatBytes(before.bytes)} received. Reload to see every request.
        </p>
      )}
      {totals && (
        <p class="privacy-note">
          Since the service worker last started ({new Date(totals.since).toLocaleTimeString()}):{' '}
          {totals.requests} requests, {formatBytes(totals.bytesUp)} sent, {formatBytes(totals.bytesDown)}{' '}
          received, {totals.fromCache} from the cache.
        </p>
      )}
      <AuditTable entries={sincePageOpened} origin={origin} />
      <TransparencyReport />
    </section>
  );
}
