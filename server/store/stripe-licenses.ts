import { sql, type Transaction } from 'kysely';
import type { Db } from '../db/database';
import type { Database, LicenseStatus, StripeFact } from '../db/schema';
import { hashLicenseKey, normalizeLicenseKey } from '../licensing/license-key';
import type { RecordedFact } from '../stripe/license-state';

type Tx = Transaction<Database>;

export async function isStripeEventRecorded(db: Db, id: string): Promise<boolean> {
  const row = await db.selectFrom('stripe_events').select('id').where('id', '=', id).executeTakeFirst();
  return row !== undefined;
}

export interface StripeEventRow {
  id: string;
  type: string;
  fact: StripeFact;
  objectId: string;
  paymentIntent: string | null;
}

/** Records an event and what it says; false when it was recorded before. */
export async function recordStripeEvent(tx: Tx, event: StripeEventRow): Promise<boolean> {
  const row = await tx
    .insertInto('stripe_events')
    .values({
      id: event.id,
      type: event.type,
      fact: event.fact,
      object_id: event.objectId,
      payment_intent: event.paymentIntent,
    })
    .onConflict((conflict) => conflict.column('id').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Holds the payment until the transaction ends, so two events about it (on two connections or two
 * instances) are applied one after the other and the second sees the first one's fact.
 */
export async function lockPayment(tx: Tx, paymentIntent: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`stripe-payment:${paymentIntent}`}, 0))`.execute(
    tx,
  );
}

export function paymentFacts(tx: Tx, paymentIntent: string): Promise<RecordedFact[]> {
  return tx
    .selectFrom('stripe_events')
    .select(['fact', 'object_id'])
    .where('payment_intent', '=', paymentIntent)
    .execute();
}

export interface PaidSession {
  sessionId: string;
  paymentIntent: string | null;
  email: string | null;
  key: string;
  /** Active unless told otherwise. */
  status?: LicenseStatus;
}

/** One license per Checkout Session, however often it is reported. */
export async function createLicenseForSession(tx: Tx, session: PaidSession): Promise<void> {
  await tx
    .insertInto('licenses')
    .values({
      key_hash: hashLicenseKey(normalizeLicenseKey(session.key)!),
      plan: 'pro',
      status: session.status,
      email: session.email,
      expires_at: null,
      stripe_session_id: session.sessionId,
      stripe_payment_intent: session.paymentIntent,
    })
    .onConflict((conflict) => conflict.column('stripe_session_id').doNothing())
    .execute();
}

/** Moves the licenses bought with this payment from one of `from` to `to`. */
export async function setStatusByPaymentIntent(
  tx: Tx,
  paymentIntent: string,
  from: LicenseStatus[],
  to: LicenseStatus,
): Promise<void> {
  await tx
    .updateTable('licenses')
    .set({ status: to })
    .where('stripe_payment_intent', '=', paymentIntent)
    .where('status', 'in', from)
    .where('deleted_at', 'is', null)
    .execute();
}

export async function sessionHasLicense(db: Db, sessionId: string): Promise<boolean> {
  const row = await db
    .selectFrom('licenses')
    .select('id')
    .where('stripe_session_id', '=', sessionId)
    .where('key_hash', 'is not', null)
    .executeTakeFirst();
  return row !== undefined;
}
