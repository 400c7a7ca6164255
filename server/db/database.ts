import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import { ensureDataDir } from '../data-dir';
import { lockDataDir, type DataDirLock } from './data-dir-lock';
import { migrateToLatest } from './migrations';
import type { Database } from './schema';

export type Db = Kysely<Database>;

/** PGlite on a directory this process holds the lock of, until the database closes. */
class LockedPGlite extends PGlite {
  constructor(
    dataDir: string,
    private readonly lock: DataDirLock,
  ) {
    super(join(dataDir, 'pglite'));
  }

  override async close(): Promise<void> {
    try {
      await super.close();
    } finally {
      this.lock.release();
    }
  }
}

/**
 * Where the data lives: a Postgres URL, a PGlite directory, or (tests) PGlite in memory, optionally
 * started from a `dumpDataDir()` snapshot, which skips PGlite's slow initdb.
 */
export type DatabaseTarget = { url: string } | { pgliteDir: string } | { memory: true; snapshot?: Blob };

/**
 * Opens the database through the one Kysely code path and brings its schema up to date. A PGlite
 * directory is locked for this process (DataDirLockedError when another one has it).
 */
export async function openDatabase(target: DatabaseTarget): Promise<Db> {
  let dialect;
  if ('url' in target) {
    dialect = new PostgresDialect({ pool: new pg.Pool({ connectionString: target.url }) });
  } else if ('pgliteDir' in target) {
    ensureDataDir(target.pgliteDir);
    dialect = new PGliteDialect(new LockedPGlite(target.pgliteDir, lockDataDir(target.pgliteDir)));
  } else {
    dialect = new PGliteDialect(new PGlite(target.snapshot ? { loadDataDir: target.snapshot } : {}));
  }
  const db = new Kysely<Database>({ dialect });
  try {
    await migrateToLatest(db as Kysely<unknown>);
  } catch (error) {
    await db.destroy();
    throw error;
  }
  return db;
}
