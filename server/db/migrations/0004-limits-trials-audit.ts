import { sql, type Kysely } from 'kysely';

/**
 * Shared rate limits (one fixed-window counter per budget, so they hold across restarts and
 * instances), the trial's address block (a keyed hash, cleared after the trial period), and the
 * append-only audit log of license operations.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('rate_limits')
    .addColumn('key', 'text', (col) => col.primaryKey())
    .addColumn('window_start', 'timestamptz', (col) => col.notNull())
    .addColumn('points', 'integer', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('rate_limits_window_start').on('rate_limits').column('window_start').execute();

  await db.schema.alterTable('trials').addColumn('address_block_hash', 'text').execute();
  await db.schema
    .createIndex('trials_address_block')
    .on('trials')
    .columns(['address_block_hash', 'started_at'])
    .where(sql.ref('address_block_hash'), 'is not', null)
    .execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'bigint', (col) => col.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('license_id', 'uuid', (col) => col.notNull().references('licenses.id'))
    .addColumn('action', 'text', (col) =>
      col
        .notNull()
        .check(sql`action in ('activation', 'takeover', 'deactivation', 'refund', 'dispute', 'deletion')`),
    )
    .addColumn('actor', 'text', (col) => col.notNull())
    .addColumn('detail', 'text')
    .addColumn('at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('audit_log_license').on('audit_log').columns(['license_id', 'id']).execute();
  await sql`
    create function audit_log_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_log is append-only';
    end $$`.execute(db);
  await sql`
    create trigger audit_log_append_only before update or delete on audit_log
    for each row execute function audit_log_append_only()`.execute(db);
  await sql`
    create trigger audit_log_no_truncate before truncate on audit_log
    for each statement execute function audit_log_append_only()`.execute(db);

  for (const table of ['rate_limits', 'audit_log']) {
    await sql`alter table ${sql.table(table)} enable row level security`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('audit_log').execute();
  await sql`drop function audit_log_append_only()`.execute(db);
  await db.schema.dropIndex('trials_address_block').execute();
  await db.schema.alterTable('trials').dropColumn('address_block_hash').execute();
  await db.schema.dropTable('rate_limits').execute();
}
