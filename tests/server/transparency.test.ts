import { sign } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSigningKeyPem, parseSigningKey, publicKeySpkiBase64 } from '../../server/crypto/signing-key';
import type { Db } from '../../server/db/database';
import { createLicense } from '../../server/store/licenses';
import { REPORTED_TABLES } from '../../server/transparency/tables';
import { bytesToBase64 } from '../../src/shared/bytes';
import { importLicensePublicKey } from '../../src/shared/license/verify-license-file';
import {
  reportHash,
  reportSigningInput,
  type TransparencyReport,
} from '../../src/shared/transparency/report-format';
import { verifyTransparencyChain } from '../../src/shared/transparency/verify-chain';
import {
  databaseTables,
  fetchChain,
  openDatabase,
  testClock,
  transparencyDatabases,
  transparencyServer,
} from './transparency-setup';

const DAY_MS = 24 * 60 * 60 * 1000;
const parse = (text: string) => JSON.parse(text) as TransparencyReport;

describe.each(transparencyDatabases())('the transparency report on $name', ({ open }) => {
  let db: Db;
  let server: Awaited<ReturnType<typeof transparencyServer>>;
  const clock = testClock();
  beforeAll(async () => {
    db = await openDatabase((await open()).target);
    server = await transparencyServer(db, clock);
  });
  afterAll(async () => {
    await db?.destroy();
  });

  it('lists every table with its row count, oldest row and retention rule, signed', async () => {
    const bought = new Date(clock.now().getTime() - 40 * DAY_MS);
    await createLicense(db, { plan: 'pro', email: 'a@example.com', expiresAt: null });
    const { id } = await createLicense(db, { plan: 'pro', email: 'b@example.com', expiresAt: null });
    await db.updateTable('licenses').set({ created_at: bought }).where('id', '=', id).execute();
    await db
      .insertInto('trials')
      .values({ device_hash: 'trial-device', started_at: bought, expires_at: clock.now() })
      .execute();

    const chain = await fetchChain(server.app);
    expect(chain.reports).toHaveLength(1);
    const check = await verifyTransparencyChain(chain, server.publicKey);
    expect(check).toMatchObject({ ok: true });
    const report = parse(chain.reports[0]!.report);
    expect(report).toMatchObject({ seq: 1, previousHash: null, periodStart: null });
    expect(report.periodEnd).toBe(clock.now().toISOString());
    expect(report.scope).toContain('license server only');
    expect(report.tables.map((table) => table.name).sort()).toEqual(await databaseTables(db));
    const licenses = report.tables.find((table) => table.name === 'licenses')!;
    expect(licenses).toMatchObject({ rows: 2, oldestRow: bought.toISOString() });
    expect(report.tables.find((table) => table.name === 'trials')).toMatchObject({
      rows: 1,
      oldestRow: bought.toISOString(),
      retention: expect.stringContaining(`${server.transparency.trialDays} days after the trial ended`),
    });
    expect(report.tables.find((table) => table.name === 'transparency_reports')).toMatchObject({
      rows: 0,
      oldestRow: null,
    });
    const { rows: secured } = await sql<{ relname: string; relrowsecurity: boolean }>`
      select relname, relrowsecurity from pg_class
      where relname in ('transparency_reports', 'transparency_counts')`.execute(db);
    expect(secured).toHaveLength(2);
    expect(secured.every((table) => table.relrowsecurity)).toBe(true);
    for (const table of REPORTED_TABLES) {
      const { rows } = await sql<{
        n: number;
      }>`select count(*)::int as n from ${sql.table(table.name)}`.execute(db);
      const reported = report.tables.find((row) => row.name === table.name)!;
      expect(reported.rows, table.name).toBe(
        table.name === 'transparency_reports' ? rows[0]!.n - 1 : rows[0]!.n,
      );
    }
  });

  it('makes no new report within the period, and one after it that links to the last', async () => {
    const [first] = (await fetchChain(server.app)).reports;
    clock.advanceHours(23);
    expect((await fetchChain(server.app)).reports).toEqual([first]);

    const { key } = await createLicense(db, { plan: 'pro', email: 'c@example.com', expiresAt: null });
    const authorised = { headers: { authorization: `Bearer ${key}` } };
    expect((await server.app.request('/api/account/export', authorised)).status).toBe(200);
    expect((await server.app.request('/api/account/export', authorised)).status).toBe(200);
    expect((await server.app.request('/api/account', { method: 'DELETE', ...authorised })).status).toBe(200);

    clock.advanceHours(1);
    const chain = await fetchChain(server.app);
    expect(chain.reports).toHaveLength(2);
    const check = await verifyTransparencyChain(chain, server.publicKey);
    if (!check.ok) throw new Error(check.reason);
    const second = check.latest.report;
    expect(second.seq).toBe(2);
    expect(second.previousHash).toBe(await reportHash(first!.report));
    expect(second.periodStart).toBe(parse(first!.report).periodEnd);
    expect(second.served).toEqual({ accountExports: 2, accountDeletions: 1 });
    const counts = await db.selectFrom('transparency_counts').selectAll().execute();
    expect(counts).toEqual([]);
  });

  it('fails a tampered report, a rewritten earlier report, a missing report and another key, saying why', async () => {
    clock.advanceHours(24);
    const chain = await fetchChain(server.app);
    expect(chain.reports).toHaveLength(3);
    const [one, two, three] = chain.reports as [
      { report: string; signature: string },
      { report: string; signature: string },
      { report: string; signature: string },
    ];

    const edited = one.report.replace('"seq":1', '"seq":1 ').replace(/"rows":2/, '"rows":0');
    const tampered = await verifyTransparencyChain(
      { ...chain, reports: [{ ...one, report: edited }, two, three] },
      server.publicKey,
    );
    expect(tampered).toMatchObject({ ok: false, problem: 'BAD_SIGNATURE' });
    expect(!tampered.ok && tampered.reason).toContain(
      "report 1 does not carry the license server's signature",
    );

    // Whoever holds the signing key rewrites report 1 and signs it again: report 2 still names the original.
    const rewritten = JSON.stringify({ ...parse(one.report), tables: [] });
    const resigned = bytesToBase64(sign(null, reportSigningInput(rewritten), server.signingKey));
    const history = await verifyTransparencyChain(
      { ...chain, reports: [{ report: rewritten, signature: resigned }, two, three] },
      server.publicKey,
    );
    expect(history).toMatchObject({ ok: false, problem: 'BROKEN_CHAIN' });
    expect(!history.ok && history.reason).toContain('report 1 was rewritten after report 2 was signed');

    // A browser that verified report 2 before sees a whole history rewritten and signed again since.
    const known = { seq: 2, hash: await reportHash(two.report) };
    expect(await verifyTransparencyChain(chain, server.publicKey, known)).toMatchObject({ ok: true });
    const resignedAll = await Promise.all(
      [one, two, three].map(async (signed, i) => {
        const report =
          i === 1 ? signed.report.replace('"accountExports":2', '"accountExports":0') : signed.report;
        return {
          report,
          signature: bytesToBase64(sign(null, reportSigningInput(report), server.signingKey)),
        };
      }),
    );
    expect(resignedAll[1]!.report).not.toBe(two.report);
    const redone = await verifyTransparencyChain({ ...chain, reports: resignedAll }, server.publicKey, known);
    expect(redone).toMatchObject({ ok: false, problem: 'BROKEN_CHAIN' });
    const relinked = [resignedAll[0]!, resignedAll[1]!];
    expect(
      await verifyTransparencyChain({ ...chain, reports: relinked }, server.publicKey, known),
    ).toMatchObject({
      ok: false,
      problem: 'REWRITTEN',
      reason: "report 2 is not the one verified before: the server's earlier reports were rewritten",
    });
    expect(
      await verifyTransparencyChain({ ...chain, reports: [one] }, server.publicKey, known),
    ).toMatchObject({
      ok: false,
      problem: 'REWRITTEN',
      reason: expect.stringContaining('report 2, verified before, is not in the chain'),
    });

    const missing = await verifyTransparencyChain({ ...chain, reports: [one, three] }, server.publicKey);
    expect(missing).toMatchObject({ ok: false, problem: 'BROKEN_CHAIN' });
    expect(!missing.ok && missing.reason).toContain('report 3 comes after report 1');

    const otherKey = await importLicensePublicKey(
      publicKeySpkiBase64(parseSigningKey(generateSigningKeyPem())),
    );
    expect(await verifyTransparencyChain(chain, otherKey)).toMatchObject({
      ok: false,
      problem: 'BAD_SIGNATURE',
    });
    expect(await verifyTransparencyChain({ alg: 'Ed25519', reports: [] }, server.publicKey)).toMatchObject({
      ok: false,
      problem: 'NO_REPORTS',
    });
    expect(await verifyTransparencyChain({ reports: 'none' }, server.publicKey)).toMatchObject({
      ok: false,
      problem: 'MALFORMED',
    });

    const fromTwo = (await (await server.app.request('/api/transparency?from=2')).json()) as typeof chain;
    expect(fromTwo.reports).toEqual([two, three]);
    expect(await verifyTransparencyChain(fromTwo, server.publicKey, known)).toMatchObject({ ok: true });
    expect(await verifyTransparencyChain(fromTwo, server.publicKey)).toMatchObject({
      ok: false,
      problem: 'BROKEN_CHAIN',
      reason: 'the reports start at report 2: the ones before it are missing',
    });
    expect((await server.app.request('/api/transparency?from=0')).status).toBe(400);
  });

  it('makes one report between instances that ask at the same moment', async () => {
    // Two connection pools on one PostgreSQL database, as two instances have; PGlite is one process.
    const { target } = await open();
    const first = await openDatabase(target);
    const shared = 'url' in target ? [first, await openDatabase(target)] : [first];
    try {
      const sharedClock = testClock();
      const key = generateSigningKeyPem();
      const instances = await Promise.all(
        [0, 1].map((i) =>
          transparencyServer(shared[i % shared.length]!, sharedClock, { signingKeyPem: key }),
        ),
      );
      for (let round = 0; round < 3; round++) {
        const chains = await Promise.all(
          Array.from({ length: 12 }, (_, i) => fetchChain(instances[i % 2]!.app)),
        );
        for (const chain of chains) expect(chain.reports).toHaveLength(round + 1);
        sharedClock.advanceHours(25);
      }
      const chain = await fetchChain(instances[0]!.app);
      expect(chain.reports.map((signed) => parse(signed.report).seq)).toEqual([1, 2, 3, 4]);
      expect(await verifyTransparencyChain(chain, instances[1]!.publicKey)).toMatchObject({ ok: true });
      const { rows } = await sql<{ n: number }>`select count(*)::int as n from transparency_reports`.execute(
        shared[0]!,
      );
      expect(rows[0]!.n).toBe(4);
    } finally {
      for (const instanceDb of shared) await instanceDb.destroy();
    }
  });
});
