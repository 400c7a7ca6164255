import type { Transaction } from 'kysely';
import type { Database, LicenseStatus } from '../db/schema';
import { hashLicenseKey, normalizeLicenseKey } from '../licensing/license-key';
import type { Db } from '../db/database';

/** Records a webhook event id; false when it was processed before. */
export async function recordStripeEvent(
  tx: Transaction<Database>,
  id: string,
  type: string,
): Promise<boolean> {
  const row = await tx
    .insertInto('stripe_events')
    .values({ id, type })
    .onConflict((conflict) => conflict.column('id').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
}

export interface PaidSession {
  sessionId: string;
  paymentIntent: string | null;
  email: string | null;
  key: string;
}

/** One license per Checkout Session, however often it is reported. */
export async function createLicenseForSession(
  tx: Transaction<Database>,
  session: PaidSession,
): Promise<void> {
  await tx
    .insertInto('licenses')
    .values({
      key_hash: hashLicenseKey(normalizeLicenseKey(session.key)!),
      plan: 'pro',
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
  tx: Transaction<Database>,
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
