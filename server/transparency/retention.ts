import { sql } from 'kysely';
import type { Db } from '../db/database';
import { addDays } from '../licensing/plans';
import type { TransparencyConfig } from './config';
import { countForReport, makeReportIfDue, type ReportDeps } from './reports';

export type RetentionRules = Pick<TransparencyConfig, 'trialDays' | 'staleDeviceDays' | 'auditDays'>;

/** Rows the retention job deleted, by table. */
export type Deleted = Record<'nonces' | 'trials' | 'activations' | 'rate_limits' | 'audit_log', number>;

/**
 * Deletes every row past its retention rule, in one transaction, and counts the deletions for the
 * next transparency report: expired nonces, trials ended `trialDays` ago, devices not seen for
 * `staleDeviceDays`, rate-limit windows over, and audit rows older than `auditDays` (the only delete
 * the audit log's trigger lets through: rows older than the cutoff this transaction sets). Instances
 * that run it at once take turns (an advisory lock), so each row is deleted, and counted, once.
 */
export async function enforceRetention(
  db: Db,
  rules: RetentionRules,
  now: Date,
  rateLimitWindowSeconds = 60,
): Promise<Deleted> {
  return db.transaction().execute(async (tx) => {
    await sql`select pg_advisory_xact_lock(hashtextextended('doppel-retention', 0))`.execute(tx);
    const auditCutoff = addDays(now, -rules.auditDays);
    await sql`select set_config('doppel.audit_retention_cutoff', ${auditCutoff.toISOString()}, true)`.execute(
      tx,
    );
    const counted = async (query: { executeTakeFirst(): Promise<{ numDeletedRows: bigint }> }) =>
      Number((await query.executeTakeFirst()).numDeletedRows);
    const deleted: Deleted = {
      nonces: await counted(tx.deleteFrom('nonces').where('expires_at', '<=', now)),
      trials: await counted(tx.deleteFrom('trials').where('expires_at', '<', addDays(now, -rules.trialDays))),
      activations: await counted(
        tx.deleteFrom('activations').where('last_seen_at', '<', addDays(now, -rules.staleDeviceDays)),
      ),
      rate_limits: await counted(
        tx
          .deleteFrom('rate_limits')
          .where('window_start', '<=', new Date(now.getTime() - rateLimitWindowSeconds * 1000)),
      ),
      audit_log: await counted(tx.deleteFrom('audit_log').where('at', '<', auditCutoff)),
    };
    for (const [table, count] of Object.entries(deleted)) {
      if (count > 0) await countForReport(tx, 'retention_deleted', count, table);
    }
    return deleted;
  });
}

/**
 * Runs the retention job now and every `jobIntervalMinutes`, then makes the transparency report if
 * one is due. Every instance runs it; see enforceRetention and makeReportIfDue for why that is safe.
 * `stop` clears the timer and waits for a run in progress, so the database can close after it.
 */
export function startRetentionJob(deps: ReportDeps): { stop: () => Promise<void> } {
  let running: Promise<void> = Promise.resolve();
  const run = () => {
    running = running
      .then(async () => {
        await enforceRetention(deps.db, deps.transparency, deps.now());
        await makeReportIfDue(deps);
      })
      .catch((error: unknown) => console.error('Doppel license server: the retention job failed:', error));
  };
  run();
  const timer = setInterval(run, deps.transparency.jobIntervalMinutes * 60_000);
  timer.unref();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
