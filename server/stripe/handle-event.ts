import type Stripe from 'stripe';
import type { Db } from '../db/database';
import {
  createLicenseForSession,
  recordStripeEvent,
  setStatusByPaymentIntent,
} from '../store/stripe-licenses';
import { licenseKeyForSession } from './session-license-key';

const idOf = (value: string | { id: string } | null): string | null =>
  value === null ? null : typeof value === 'string' ? value : value.id;

/**
 * Applies one verified webhook event, at most once (the event id is recorded in the same
 * transaction): paid sessions create a license, a full refund revokes it, a dispute suspends it,
 * a won dispute restores it and a lost one revokes it.
 */
export async function handleStripeEvent(db: Db, pepper: Buffer, event: Stripe.Event): Promise<void> {
  await db.transaction().execute(async (tx) => {
    if (!(await recordStripeEvent(tx, event.id, event.type))) return;
    switch (event.type) {
      case 'checkout.session.completed':
      case 'checkout.session.async_payment_succeeded': {
        const session = event.data.object;
        if (session.payment_status === 'unpaid') return;
        await createLicenseForSession(tx, {
          sessionId: session.id,
          paymentIntent: idOf(session.payment_intent),
          email: session.customer_details?.email ?? null,
          key: licenseKeyForSession(pepper, session.id),
        });
        return;
      }
      case 'charge.refunded': {
        const charge = event.data.object;
        const paymentIntent = idOf(charge.payment_intent);
        if (charge.refunded && paymentIntent) {
          await setStatusByPaymentIntent(tx, paymentIntent, ['active', 'suspended'], 'revoked');
        }
        return;
      }
      case 'charge.dispute.created':
      case 'charge.dispute.closed': {
        const dispute = event.data.object;
        const paymentIntent = idOf(dispute.payment_intent);
        if (!paymentIntent) return;
        if (event.type === 'charge.dispute.created') {
          await setStatusByPaymentIntent(tx, paymentIntent, ['active'], 'suspended');
        } else if (dispute.status === 'won') {
          await setStatusByPaymentIntent(tx, paymentIntent, ['suspended'], 'active');
        } else if (dispute.status === 'lost') {
          await setStatusByPaymentIntent(tx, paymentIntent, ['active', 'suspended'], 'revoked');
        }
        return;
      }
    }
  });
}
