import { createHash, sign, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { sql } from 'kysely';
import type { Db } from '../db/database';
import type { TransparencyCountKind } from '../db/schema';
import { bytesToBase64 } from '../../src/shared/bytes';
import {
  reportHash,
  reportSigningInput,
  TRANSPARENCY_FORMAT,
  type ReportedTable,
  type SignedReport,
  type TransparencyReport,
} from '../../src/shared/transparency/report-format';
import type { TransparencyConfig } from './config';
import { REPORTED_TABLES } from './tables';

export interface ReportDeps {
  db: Db;
  signingKey: KeyObject;
  transparency: TransparencyConfig;
  now: () => Date;
}

export const REPORT_SCOPE =
  'This report covers the license server only: license keys, devices, trials and payments. Photos, videos and camera frames never reach any server, so there is nothing of them to report.';

const HOUR_MS = 60 * 60 * 1000;

/** Counts one event for the next report; call it in the transaction of what it counts. */
export async function countForReport(
  db: Db,
  kind: TransparencyCountKind,
  count = 1,
  tableName: string | null = null,
): Promise<void> {
  await db.insertInto('transparency_counts').values({ kind, count, table_name: tableName }).execute();
}

function isDue(periodEnd: Date, now: Date, rules: TransparencyConfig): boolean {
  return now.getTime() - periodEnd.getTime() >= rules.reportPeriodHours * HOUR_MS;
}

async function describeTables(db: Db, rules: TransparencyConfig): Promise<ReportedTable[]> {
  const tables: ReportedTable[] = [];
  for (const table of REPORTED_TABLES) {
    const { rows } = await sql<{ rows: number; oldest: Date | null }>`
      select count(*)::int as rows, min(${sql.raw(table.writtenAt)}) as oldest
      from ${sql.table(table.name)}`.execute(db);
    const row = rows[0]!;
    tables.push({
      name: table.name,
      what: table.what,
      rows: row.rows,
      oldestRow: row.oldest ? new Date(row.oldest).toISOString() : null,
      retention: table.retention(rules),
    });
  }
  return tables;
}

function buildManifestSha256(path: string): string | null {
  return existsSync(path) ? createHash('sha256').update(readFileSync(path)).digest('hex') : null;
}

/**
 * Makes the next report when none exists or the latest is reportPeriodHours old: it covers the time
 * since the latest report ended, takes (deletes) the counts made since, and is signed and stored in
 * one transaction under an advisory lock, so instances racing here make one report between them
 * (the report number is the primary key besides). Returns whether it made one.
 */
export async function makeReportIfDue(deps: ReportDeps): Promise<boolean> {
  const now = deps.now();
  const latest = await deps.db
    .selectFrom('transparency_reports')
    .select('period_end')
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (latest && !isDue(latest.period_end, now, deps.transparency)) return false;
  return deps.db.transaction().execute(async (tx) => {
    await sql`select pg_advisory_xact_lock(hashtextextended('doppel-transparency-report', 0))`.execute(tx);
    const previous = await tx
      .selectFrom('transparency_reports')
      .select(['seq', 'report', 'hash', 'period_end'])
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (previous && !isDue(previous.period_end, now, deps.transparency)) return false;
    const counts = await tx
      .deleteFrom('transparency_counts')
      .returning(['kind', 'table_name', 'count'])
      .execute();
    const sum = (kind: TransparencyCountKind) =>
      counts.filter((row) => row.kind === kind).reduce((total, row) => total + row.count, 0);
    const retentionDeleted: Record<string, number> = {};
    for (const row of counts) {
      if (row.kind === 'retention_deleted' && row.table_name) {
        retentionDeleted[row.table_name] = (retentionDeleted[row.table_name] ?? 0) + row.count;
      }
    }
    const report: TransparencyReport = {
      format: TRANSPARENCY_FORMAT,
      seq: (previous?.seq ?? 0) + 1,
      previousHash: previous?.hash ?? null,
      periodStart: previous ? (JSON.parse(previous.report) as TransparencyReport).periodEnd : null,
      periodEnd: now.toISOString(),
      scope: REPORT_SCOPE,
      tables: await describeTables(tx, deps.transparency),
      served: { accountExports: sum('account_export'), accountDeletions: sum('account_deletion') },
      retentionDeleted,
      buildManifestSha256: buildManifestSha256(deps.transparency.buildManifestPath),
    };
    const text = JSON.stringify(report);
    await tx
      .insertInto('transparency_reports')
      .values({
        seq: report.seq,
        report: text,
        hash: await reportHash(text),
        signature: bytesToBase64(sign(null, reportSigningInput(text), deps.signingKey)),
        period_end: now,
      })
      .execute();
    return true;
  });
}

/** The stored chain from report `from` on, oldest first, as GET /api/transparency sends it. */
export async function reportChain(db: Db, from = 1): Promise<SignedReport[]> {
  const rows = await db
    .selectFrom('transparency_reports')
    .select(['report', 'signature'])
    .where('seq', '>=', from)
    .orderBy('seq')
    .execute();
  return rows.map((row) => ({ report: row.report, signature: row.signature }));
}
