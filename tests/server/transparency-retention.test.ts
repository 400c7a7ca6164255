import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config';
import type { Db } from '../../server/db/database';
import { createLicense } from '../../server/store/licenses';
import { enforceRetention, startRetentionJob } from '../../server/transparency/retention';
import type { TransparencyReport } from '../../src/shared/transparency/report-format';
import { verifyTransparencyChain } from '../../src/shared/transparency/verify-chain';
import {
  fetchChain,
  openDatabase,
  TEST_RULES,
  testClock,
  transparencyDatabases,
  transparencyServer,
} from './transparency-setup';

const DAY_MS = 24 * 60 * 60 * 1000;

describe.each(transparencyDatabases())('the retention job on $name', ({ open }) => {
  let db: Db;
  const clock = testClock();
  const now = clock.now();
  const ago = (days: number) => new Date(now.getTime() - days * DAY_MS);
  beforeAll(async () => {
    db = await openDatabase((await open()).target);
  });
  afterAll(async () => {
    await db?.destroy();
  });

  /** Rows on both sides of every rule (TEST_RULES: trials 30 days, devices 60, audit 365). */
  async function seed(into: Db = db) {
    const licenses = await Promise.all(
      ['stale', 'fresh', 'edge'].map(async (name) => {
        const { id } = await createLicense(into, {
          plan: 'pro',
          email: `${name}@example.com`,
          expiresAt: null,
        });
        return id;
      }),
    );
    const [stale, fresh, edge] = licenses as [string, string, string];
    await into
      .insertInto('nonces')
      .values([
        { nonce: 'expired', expires_at: new Date(now.getTime() - 1000) },
        { nonce: 'live', expires_at: new Date(now.getTime() + 60_000) },
      ])
      .execute();
    await into
      .insertInto('trials')
      .values([
        { device_hash: 'trial-ended-long-ago', started_at: ago(45), expires_at: ago(38) },
        { device_hash: 'trial-ended-lately', started_at: ago(36), expires_at: ago(29) },
        { device_hash: 'trial-running', started_at: ago(1), expires_at: ago(-6) },
      ])
      .execute();
    const activation = (license_id: string, device_hash: string, seen: Date) => ({
      license_id,
      device_hash,
      label: 'Chrome on Linux',
      app_version: '0.1.0',
      activated_at: ago(200),
      last_seen_at: seen,
    });
    await into
      .insertInto('activations')
      .values([
        activation(stale, 'device-stale', ago(61)),
        activation(fresh, 'device-fresh', ago(1)),
        activation(edge, 'device-edge', ago(59)),
      ])
      .execute();
    await into
      .insertInto('rate_limits')
      .values([
        { key: 'window-over', window_start: new Date(now.getTime() - 120_000), points: 3 },
        { key: 'window-open', window_start: new Date(now.getTime() - 10_000), points: 1 },
      ])
      .execute();
    await into
      .insertInto('audit_log')
      .values([
        { license_id: stale, action: 'activation', actor: 'old', at: ago(400) },
        { license_id: stale, action: 'takeover', actor: 'older', at: ago(366) },
        { license_id: fresh, action: 'activation', actor: 'recent', at: ago(300) },
      ])
      .execute();
  }

  it('deletes exactly the rows past their rule and keeps the rest', async () => {
    await seed();
    const deleted = await enforceRetention(db, TEST_RULES, now);
    expect(deleted).toEqual({ nonces: 1, trials: 1, activations: 1, rate_limits: 1, audit_log: 2 });

    const column = async (query: Promise<Record<string, unknown>[]>) =>
      (await query).map((row) => Object.values(row)[0]).sort();
    expect(await column(db.selectFrom('nonces').select('nonce').execute())).toEqual(['live']);
    expect(await column(db.selectFrom('trials').select('device_hash').execute())).toEqual([
      'trial-ended-lately',
      'trial-running',
    ]);
    expect(await column(db.selectFrom('activations').select('device_hash').execute())).toEqual([
      'device-edge',
      'device-fresh',
    ]);
    expect(await column(db.selectFrom('rate_limits').select('key').execute())).toEqual(['window-open']);
    expect(await column(db.selectFrom('audit_log').select('actor').execute())).toEqual(['recent']);
    expect(await column(db.selectFrom('licenses').select('email').execute())).toEqual([
      'edge@example.com',
      'fresh@example.com',
      'stale@example.com',
    ]);
    const counts = await db
      .selectFrom('transparency_counts')
      .select(['kind', 'table_name', 'count'])
      .orderBy('table_name')
      .execute();
    expect(counts).toEqual([
      { kind: 'retention_deleted', table_name: 'activations', count: 1 },
      { kind: 'retention_deleted', table_name: 'audit_log', count: 2 },
      { kind: 'retention_deleted', table_name: 'nonces', count: 1 },
      { kind: 'retention_deleted', table_name: 'rate_limits', count: 1 },
      { kind: 'retention_deleted', table_name: 'trials', count: 1 },
    ]);

    expect(await enforceRetention(db, TEST_RULES, now)).toEqual({
      nonces: 0,
      trials: 0,
      activations: 0,
      rate_limits: 0,
      audit_log: 0,
    });
  });

  it('deletes and counts each row once when instances run it at the same moment', async () => {
    // Two connection pools on one PostgreSQL database, as two instances have; PGlite is one process.
    const { target } = await open();
    const first = await openDatabase(target);
    const pools = 'url' in target ? [first, await openDatabase(target)] : [first];
    try {
      await seed(first);
      const runs = await Promise.all(
        [0, 1, 2, 3].map((i) => enforceRetention(pools[i % pools.length]!, TEST_RULES, now)),
      );
      const total = (table: keyof (typeof runs)[number]) => runs.reduce((sum, run) => sum + run[table], 0);
      const expected = { nonces: 1, trials: 1, activations: 1, rate_limits: 1, audit_log: 2 };
      expect(
        Object.fromEntries(Object.keys(expected).map((table) => [table, total(table as never)])),
      ).toEqual(expected);
      const counted = await first.selectFrom('transparency_counts').select(['table_name', 'count']).execute();
      const byTable: Record<string, number> = {};
      for (const row of counted) byTable[row.table_name!] = (byTable[row.table_name!] ?? 0) + row.count;
      expect(byTable).toEqual(expected);
    } finally {
      for (const pool of pools) await pool.destroy();
    }
  });

  it('keeps the audit log append-only outside the job', async () => {
    await expect(sql`delete from audit_log`.execute(db)).rejects.toThrow('append-only');
    await expect(sql`update audit_log set actor = 'x'`.execute(db)).rejects.toThrow('append-only');
    await expect(
      db.transaction().execute(async (tx) => {
        await sql`select set_config('doppel.audit_retention_cutoff', ${ago(400).toISOString()}, true)`.execute(
          tx,
        );
        await sql`delete from audit_log`.execute(tx);
      }),
    ).rejects.toThrow('append-only');
    expect(await db.selectFrom('audit_log').select('actor').execute()).toEqual([{ actor: 'recent' }]);
  });

  it('runs at start, and the next report counts what it deleted', async () => {
    const server = await transparencyServer(db, clock);
    const first = await fetchChain(server.app);
    expect(first.reports).toHaveLength(1);
    expect((JSON.parse(first.reports[0]!.report) as TransparencyReport).retentionDeleted).toEqual({
      nonces: 1,
      trials: 1,
      activations: 1,
      rate_limits: 1,
      audit_log: 2,
    });
    await db
      .insertInto('nonces')
      .values({ nonce: 'expires-soon', expires_at: new Date(now.getTime() + 1000) })
      .execute();
    clock.advanceHours(25);
    const job = startRetentionJob({
      db,
      signingKey: server.signingKey,
      transparency: TEST_RULES,
      now: clock.now,
    });
    await job.stop();
    // A day later both nonces have expired, the open rate-limit window is over, the trial that ended
    // 29 days ago is past 30 days and the device last seen 59 days ago past 60; the rate-limit windows
    // over are the seeded open one and the one the first GET /api/transparency opened.
    expect(await db.selectFrom('nonces').select('nonce').execute()).toEqual([]);
    const reports = await db.selectFrom('transparency_reports').select('seq').execute();
    expect(reports).toHaveLength(2);
    const chain = await fetchChain(server.app);
    const check = await verifyTransparencyChain(chain, server.publicKey);
    if (!check.ok) throw new Error(check.reason);
    expect(check.latest.report.retentionDeleted).toEqual({
      nonces: 2,
      rate_limits: 2,
      trials: 1,
      activations: 1,
    });
  });
});

describe('retention settings', () => {
  it('reads the rules from the environment and refuses rules that break the license terms', () => {
    const config = loadConfig({
      DOPPEL_RETAIN_TRIALS_DAYS: '45',
      DOPPEL_RETAIN_STALE_DEVICES_DAYS: '20',
      DOPPEL_RETAIN_AUDIT_DAYS: '400',
      DOPPEL_RETENTION_INTERVAL_MINUTES: '5',
      DOPPEL_TRANSPARENCY_PERIOD_HOURS: '12',
    }).transparency;
    expect(config).toMatchObject({
      trialDays: 45,
      staleDeviceDays: 20,
      auditDays: 400,
      jobIntervalMinutes: 5,
      reportPeriodHours: 12,
    });
    expect(() =>
      loadConfig({ DOPPEL_RETAIN_TRIALS_DAYS: '7', DOPPEL_RETAIN_STALE_DEVICES_DAYS: '3' }),
    ).toThrow(
      /DOPPEL_RETAIN_TRIALS_DAYS must be a whole number from 30.*DOPPEL_RETAIN_STALE_DEVICES_DAYS must be a whole number from 8/,
    );
  });
});
