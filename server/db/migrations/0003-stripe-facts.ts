import { sql, type Kysely } from 'kysely';

/**
 * What each recorded Stripe event says, so a license's state can be derived from every fact about
 * its payment in any order of delivery (server/stripe/license-state.ts). Events recorded before
 * this migration keep the fact 'ignored': what they did is already in the licenses' status.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('stripe_events')
    .addColumn('fact', 'text', (col) =>
      col
        .notNull()
        .defaultTo('ignored')
        .check(
          sql`fact in ('paid', 'unpaid', 'ignored', 'refunded', 'partially_refunded', 'dispute_open', 'dispute_won', 'dispute_lost')`,
        ),
    )
    .addColumn('object_id', 'text')
    .addColumn('payment_intent', 'text')
    .execute();
  await db.schema
    .createIndex('stripe_events_payment_intent')
    .on('stripe_events')
    .column('payment_intent')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('stripe_events_payment_intent').execute();
  await db.schema
    .alterTable('stripe_events')
    .dropColumn('fact')
    .dropColumn('object_id')
    .dropColumn('payment_intent')
    .execute();
}
