import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { sql } from 'kysely';
import pg from 'pg';
import { inject } from 'vitest';
import { createApp } from '../../server/app';
import { generateSigningKeyPem, parseSigningKey, publicKeySpkiBase64 } from '../../server/crypto/signing-key';
import { openDatabase, type DatabaseTarget, type Db } from '../../server/db/database';
import { DEFAULT_TRANSPARENCY, type TransparencyConfig } from '../../server/transparency/config';
import { importLicensePublicKey } from '../../src/shared/license/verify-license-file';

/**
 * The databases the transparency tests run on: in-memory PGlite, and where global-setup has
 * PostgreSQL, a new database of their own on it (a report counts every row of every table, so it
 * cannot share a database with other test files).
 */
export function transparencyDatabases(): { name: string; open: () => Promise<{ target: DatabaseTarget }> }[] {
  const url = inject('postgresUrl');
  const snapshot = inject('pgliteSnapshot');
  return [
    {
      name: 'PGlite',
      open: async () => ({
        target: { memory: true, snapshot: snapshot ? new Blob([readFileSync(snapshot)]) : undefined },
      }),
    },
    ...(url
      ? [{ name: 'PostgreSQL', open: async () => ({ target: { url: await freshDatabase(url) } }) }]
      : []),
  ];
}

async function freshDatabase(url: string): Promise<string> {
  const name = `doppel_transparency_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`create database ${name}`);
  } finally {
    await client.end();
  }
  const fresh = new URL(url);
  fresh.pathname = `/${name}`;
  return fresh.toString();
}

/** A test clock: starts now, moved by hand. */
export function testClock(start = new Date()) {
  let at = start.getTime();
  return {
    now: () => new Date(at),
    advanceHours: (hours: number) => (at += hours * 60 * 60 * 1000),
  };
}

export const TEST_RULES: TransparencyConfig = {
  ...DEFAULT_TRANSPARENCY,
  trialDays: 30,
  staleDeviceDays: 60,
  auditDays: 365,
  buildManifestPath: join(tmpdir(), 'doppel-no-such-build-manifest.json'),
};

/** The license API on `db` with the test clock and a fresh signing key (or the one given). */
export async function transparencyServer(
  db: Db,
  clock: ReturnType<typeof testClock>,
  options: { signingKeyPem?: string; transparency?: TransparencyConfig } = {},
) {
  const signingKeyPem = options.signingKeyPem ?? generateSigningKeyPem();
  const signingKey = parseSigningKey(signingKeyPem);
  const transparency = options.transparency ?? TEST_RULES;
  const app = createApp({
    db,
    signingKey,
    pepper: randomBytes(32),
    config: {
      trustedProxies: 0,
      appOrigins: [],
      securityContact: 'mailto:security@example.com',
      securityTxtExpires: null,
      limits: { perIp: 100_000, perKey: 100_000, windowSeconds: 60, trialsPerBlock: 100_000 },
    },
    now: clock.now,
    stripe: null,
    transparency,
  });
  const publicKey = await importLicensePublicKey(publicKeySpkiBase64(signingKey));
  return { app, db, signingKey, signingKeyPem, publicKey, transparency };
}

/** GET /api/transparency's parsed body. */
export async function fetchChain(app: { request: (path: string) => Response | Promise<Response> }) {
  const response = await app.request('/api/transparency');
  if (response.status !== 200)
    throw new Error(`GET /api/transparency: ${response.status} ${await response.text()}`);
  return (await response.json()) as { alg: string; reports: { report: string; signature: string }[] };
}

/** The tables in the database's public schema, but Kysely's migration bookkeeping. */
export async function databaseTables(db: Db): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE' and table_name not like 'kysely_%'
    order by table_name`.execute(db);
  return rows.map((row) => row.name);
}

export { openDatabase };
