import { sql, type Kysely } from 'kysely';

/**
 * The signed transparency reports (one row per report, numbered: the primary key lets exactly one
 * report take each number, so instances never fork the chain), the counts the next report will
 * carry (deleted as a report takes them), and the retention job's one way to delete old audit rows:
 * a transaction that sets `doppel.audit_retention_cutoff` may delete rows older than that time, and
 * no others; every other update, delete or truncate of audit_log is still refused.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('transparency_reports')
    .addColumn('seq', 'integer', (col) => col.primaryKey())
    .addColumn('report', 'text', (col) => col.notNull())
    .addColumn('hash', 'text', (col) => col.notNull().unique())
    .addColumn('signature', 'text', (col) => col.notNull())
    .addColumn('period_end', 'timestamptz', (col) => col.notNull())
    .execute();
  await db.schema
    .createTable('transparency_counts')
    .addColumn('id', 'bigint', (col) => col.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('kind', 'text', (col) =>
      col.notNull().check(sql`kind in ('account_export', 'account_deletion', 'retention_deleted')`),
    )
    .addColumn('table_name', 'text')
    .addColumn('count', 'integer', (col) => col.notNull())
    .addColumn('at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('trials_expires_at').on('trials').column('expires_at').execute();
  await db.schema.createIndex('activations_last_seen_at').on('activations').column('last_seen_at').execute();
  await db.schema.createIndex('audit_log_at').on('audit_log').column('at').execute();
  await sql`
    create or replace function audit_log_append_only() returns trigger language plpgsql as $$
    begin
      if tg_op = 'DELETE' then
        if old.at < nullif(current_setting('doppel.audit_retention_cutoff', true), '')::timestamptz then
          return old;
        end if;
      end if;
      raise exception 'audit_log is append-only';
    end $$`.execute(db);
  for (const table of ['transparency_reports', 'transparency_counts']) {
    await sql`alter table ${sql.table(table)} enable row level security`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    create or replace function audit_log_append_only() returns trigger language plpgsql as $$
    begin
      raise exception 'audit_log is append-only';
    end $$`.execute(db);
  await db.schema.dropIndex('audit_log_at').execute();
  await db.schema.dropIndex('activations_last_seen_at').execute();
  await db.schema.dropIndex('trials_expires_at').execute();
  await db.schema.dropTable('transparency_counts').execute();
  await db.schema.dropTable('transparency_reports').execute();
}
