import { Migrator, type Kysely, type Migration } from 'kysely';
import * as initial from './migrations/0001-initial';
import * as stripe from './migrations/0002-stripe';
import * as stripeFacts from './migrations/0003-stripe-facts';
import * as limitsTrialsAudit from './migrations/0004-limits-trials-audit';
import * as transparency from './migrations/0005-transparency';

/** Migrations in the order they run; names sort in that order too. */
const MIGRATIONS: Record<string, Migration> = {
  '0001-initial': initial,
  '0002-stripe': stripe,
  '0003-stripe-facts': stripeFacts,
  '0004-limits-trials-audit': limitsTrialsAudit,
  '0005-transparency': transparency,
};

export async function migrateToLatest(db: Kysely<unknown>): Promise<void> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => MIGRATIONS } });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((result) => result.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`Database migration ${failed} failed: ${String(error)}`, { cause: error });
  }
}
