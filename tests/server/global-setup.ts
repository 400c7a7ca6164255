import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import type { TestProject } from 'vitest/node';
import { migrateToLatest } from '../../server/db/migrations';
import { startPostgresCluster } from './postgres-cluster';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A migrated, empty PGlite data directory (tar), so each test file's database starts in ~1 s. */
    pgliteSnapshot: string;
    /** A scratch PostgreSQL database: DOPPEL_TEST_DATABASE_URL, or a cluster started here, or '' when neither. */
    postgresUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const pglite = new PGlite();
  const db = new Kysely({ dialect: new PGliteDialect(pglite) });
  await migrateToLatest(db);
  const snapshot = await pglite.dumpDataDir('none');
  const path = join(tmpdir(), `doppel-server-tests-${process.pid}.tar`);
  writeFileSync(path, new Uint8Array(await snapshot.arrayBuffer()));
  await db.destroy();
  project.provide('pgliteSnapshot', path);
  const cluster = process.env.DOPPEL_TEST_DATABASE_URL ? undefined : await startPostgresCluster();
  // CI (.ci/run) installs PostgreSQL: there the PostgreSQL tests must run, not be skipped.
  if (process.env.DOPPEL_REQUIRE_POSTGRES && !cluster && !process.env.DOPPEL_TEST_DATABASE_URL) {
    throw new Error('DOPPEL_REQUIRE_POSTGRES is set but no PostgreSQL server could be started');
  }
  project.provide('postgresUrl', process.env.DOPPEL_TEST_DATABASE_URL ?? cluster?.url ?? '');
  return () => {
    rmSync(path, { force: true });
    cluster?.stop();
  };
}
