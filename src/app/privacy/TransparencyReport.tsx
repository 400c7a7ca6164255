import { useEffect } from 'preact/hooks';
import { currentScreen } from '../screens/navigation';
import { forgetKnownReport, loadTransparency, transparency, type TransparencyState } from './transparency';

const date = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : '—');

function statusText(current: TransparencyState): string {
  switch (current.state) {
    case 'idle':
    case 'loading':
      return 'Fetching and checking the report…';
    case 'unreachable':
      return current.message;
    case 'failed':
      return `Verification failed: ${current.reason}.`;
    case 'verified': {
      const seq = current.latest.report.seq;
      const first = current.firstSeq;
      const before = first === seq - 1 ? `report ${first}` : `reports ${first} to ${seq - 1}`;
      const chain =
        seq === 1
          ? "; it is the server's first report"
          : first < seq
            ? `, and linked to ${before} before it`
            : ', the same report as checked before';
      return `Verified: report ${seq}, signed with the license server's key${chain}.`;
    }
  }
}

/**
 * "What the license server keeps": the server's signed transparency report, fetched the first time
 * the Privacy screen is shown and verified here before it is shown; a report that fails verification
 * is shown as failed, with the reason.
 */
export function TransparencyReport() {
  const shown = currentScreen.value === 'privacy';
  useEffect(() => {
    if (shown && transparency.peek().state === 'idle') void loadTransparency();
  }, [shown]);
  const current = transparency.value;

  return (
    <section class="transparency" aria-labelledby="transparency-title" data-testid="transparency">
      <h2 id="transparency-title">What the license server keeps</h2>
      <p class="privacy-note" data-testid="transparency-scope">
        This report covers the license server only: license keys, devices, trials and payments. Your photos,
        videos and camera frames never reach any server, so there is nothing of them to report.
      </p>
      <p
        class="transparency-status"
        data-testid="transparency-status"
        data-state={current.state}
        aria-live="polite"
      >
        {statusText(current)}
      </p>
      {current.state === 'failed' && <p class="privacy-note">{current.message}</p>}
      {current.state === 'failed' && current.problem === 'REWRITTEN' && (
        <p class="privacy-note">
          Only if you know this server's reports were started over (a new test server, for example):{' '}
          <button type="button" data-testid="transparency-forget" onClick={() => void forgetKnownReport()}>
            Forget the report checked before
          </button>
        </p>
      )}
      {(current.state === 'failed' || current.state === 'unreachable' || current.state === 'verified') && (
        <button type="button" onClick={() => void loadTransparency()}>
          Check again
        </button>
      )}
      {current.state === 'verified' && <VerifiedReport {...current} />}
    </section>
  );
}

function VerifiedReport({ latest, sameBuild }: Extract<TransparencyState, { state: 'verified' }>) {
  const { report } = latest;
  const deleted = Object.entries(report.retentionDeleted);
  return (
    <div class="transparency-report" data-testid="transparency-report" data-seq={report.seq}>
      <p>
        Report {report.seq}, {report.periodStart ? `from ${date(report.periodStart)} ` : 'from the start '}
        to {date(report.periodEnd)}.
      </p>
      <div class="audit-table" tabIndex={0} role="region" aria-label="What the license server stores">
        <table data-testid="transparency-tables">
          <thead>
            <tr>
              <th scope="col">What</th>
              <th scope="col">Rows</th>
              <th scope="col">Oldest</th>
              <th scope="col">Kept</th>
            </tr>
          </thead>
          <tbody>
            {report.tables.map((table) => (
              <tr key={table.name} data-table={table.name} data-testid="transparency-table">
                <td class="transparency-wrap">{table.what}</td>
                <td>{table.rows}</td>
                <td>{date(table.oldestRow)}</td>
                <td class="transparency-wrap">{table.retention}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p data-testid="transparency-served">
        In this period: {report.served.accountExports} account export(s) and {report.served.accountDeletions}{' '}
        account deletion(s) answered;{' '}
        {deleted.length === 0
          ? 'nothing was old enough to delete.'
          : `old rows deleted: ${deleted.map(([table, rows]) => `${rows} from ${table}`).join(', ')}.`}
      </p>
      <p class="privacy-note" data-testid="transparency-build">
        {sameBuild === true
          ? 'The app this server serves is the one you are running (its signed file list matches).'
          : sameBuild === false
            ? 'The app this server reports serving is not the one you are running (their signed file lists differ).'
            : 'This report does not say which app the server serves.'}
      </p>
    </div>
  );
}
