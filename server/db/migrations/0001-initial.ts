import { sql, type Kysely } from 'kysely';

const TABLES = ['licenses', 'activations', 'trials', 'nonces'];

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('licenses')
    .addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('key_hash', 'text', (col) => col.unique())
    .addColumn('plan', 'text', (col) => col.notNull().check(sql`plan in ('pro')`))
    .addColumn('status', 'text', (col) =>
      col
        .notNull()
        .defaultTo('active')
        .check(sql`status in ('active', 'suspended', 'revoked')`),
    )
    .addColumn('email', 'text')
    .addColumn('expires_at', 'timestamptz')
    .addColumn('last_takeover_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('deleted_at', 'timestamptz')
    .execute();
  await db.schema
    .createTable('activations')
    .addColumn('license_id', 'uuid', (col) => col.primaryKey().references('licenses.id').onDelete('cascade'))
    .addColumn('device_hash', 'text', (col) => col.notNull())
    .addColumn('label', 'text', (col) => col.notNull())
    .addColumn('app_version', 'text', (col) => col.notNull())
    .addColumn('activated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('last_seen_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('activations_device_hash').on('activations').column('device_hash').execute();
  await db.schema
    .createTable('trials')
    .addColumn('device_hash', 'text', (col) => col.primaryKey())
    .addColumn('started_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (col) => col.notNull())
    .execute();
  await db.schema
    .createTable('nonces')
    .addColumn('nonce', 'text', (col) => col.primaryKey())
    .addColumn('expires_at', 'timestamptz', (col) => col.notNull())
    .execute();
  // Row-level security with no policies: the owner (this server) bypasses it, while roles such as
  // Supabase's `anon` and `authenticated` read and write nothing.
  for (const table of [...TABLES, 'kysely_migration', 'kysely_migration_lock']) {
    await sql`alter table ${sql.table(table)} enable row level security`.execute(db);
  }
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [...TABLES].reverse()) await db.schema.dropTable(table).execute();
}
