import { classifyRequest, requestKindLabels, type AuditEntry } from '../../shared/network-audit';
import { formatBytes } from './summary';

const sourceLabels: Record<AuditEntry['source'], string> = {
  cache: 'cache',
  network: 'network',
  browser: 'browser',
};

const time = (ms: number) => new Date(ms).toLocaleTimeString(undefined, { hour12: false });

/** Every recorded request, newest first, in a scrollable region that keyboard users can scroll. */
export function AuditTable({ entries, origin }: { entries: AuditEntry[]; origin: string }) {
  if (entries.length === 0) return <p>No requests recorded yet.</p>;
  return (
    <div class="audit-table" tabIndex={0} role="region" aria-label="Recorded requests">
      <table data-testid="audit-table">
        <thead>
          <tr>
            <th scope="col">Time</th>
            <th scope="col">Method</th>
            <th scope="col">Path</th>
            <th scope="col">Origin</th>
            <th scope="col">What</th>
            <th scope="col">Sent</th>
            <th scope="col">Received</th>
            <th scope="col">From</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody>
          {[...entries].reverse().map((entry) => {
            const url = new URL(entry.url, origin);
            const kind = classifyRequest(entry.url, origin);
            return (
              <tr key={entry.id} data-kind={kind} data-testid="audit-row">
                <td>{time(entry.time)}</td>
                <td>{entry.method}</td>
                <td class="audit-path" title={entry.url}>
                  {url.pathname}
                  {url.search}
                </td>
                <td>{url.origin === origin ? 'this site' : url.origin}</td>
                <td>{requestKindLabels[kind]}</td>
                <td>{formatBytes(entry.bytesUp)}</td>
                <td>{entry.bytesDown === null ? '—' : formatBytes(entry.bytesDown)}</td>
                <td>
                  {sourceLabels[entry.source]}
                  {entry.initiator === 'service-worker' ? ' (service worker)' : ''}
                </td>
                <td>{entry.error ? 'failed' : (entry.status ?? '—')}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
