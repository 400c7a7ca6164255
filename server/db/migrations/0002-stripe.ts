import { sql, type Kysely } from 'kysely';

/** Licenses bought through Stripe Checkout, and the webhook events already processed. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('licenses')
    .addColumn('stripe_session_id', 'text', (col) => col.unique())
    .addColumn('stripe_payment_intent', 'text')
    .execute();
  await db.schema
    .createIndex('licenses_stripe_payment_intent')
    .on('licenses')
    .column('stripe_payment_intent')
    .execute();
  await db.schema
    .createTable('stripe_events')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('type', 'text', (col) => col.notNull())
    .addColumn('received_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`alter table stripe_events enable row level security`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('stripe_events').execute();
  await db.schema.dropIndex('licenses_stripe_payment_intent').execute();
  await db.schema
    .alterTable('licenses')
    .dropColumn('stripe_session_id')
    .dropColumn('stripe_payment_intent')
    .execute();
}
