import type { RouteDeps, StripeDeps } from '../app-deps';
import type { StripeFact } from '../db/schema';
import { auditPaymentFacts } from '../store/audit';
import {
  createLicenseForSession,
  isStripeEventRecorded,
  lockPayment,
  paymentFacts,
  recordStripeEvent,
  setStatusByPaymentIntent,
} from '../store/stripe-licenses';
import { checkSession } from './check-session';
import { licenseStatusFromFacts } from './license-state';
import { parseStripeEvent, type ParsedStripeEvent } from './parse-event';
import { licenseKeyForSession } from './session-license-key';

export type StripeEventDeps = Pick<RouteDeps, 'db' | 'pepper'> & { stripe: StripeDeps };

/** What the event says, once the session (if it is one) has been checked with Stripe. */
async function factOf(deps: StripeEventDeps, { subject }: ParsedStripeEvent): Promise<StripeFact> {
  switch (subject.kind) {
    case 'session':
      if (!subject.paid) return 'unpaid';
      return (await checkSession(deps.stripe, subject)) ? 'paid' : 'ignored';
    case 'refund':
      return subject.full ? 'refunded' : 'partially_refunded';
    case 'dispute':
      return `dispute_${subject.outcome}`;
  }
}

/**
 * Records one verified webhook event, at most once by id, and derives the state of the license its
 * payment bought from every fact recorded about that payment, so the order in which Stripe delivers
 * events does not change the outcome: a paid session of ours creates the license, a full refund or
 * a lost dispute revokes it, an open dispute suspends it (server/stripe/license-state.ts). Refunds and
 * disputes go to the license's audit log.
 */
export async function handleStripeEvent(deps: StripeEventDeps, raw: unknown): Promise<void> {
  const event = parseStripeEvent(raw);
  if (!event || (await isStripeEventRecorded(deps.db, event.id))) return;
  const fact = await factOf(deps, event);
  const { subject } = event;
  const paymentIntent = subject.paymentIntent;
  await deps.db.transaction().execute(async (tx) => {
    if (paymentIntent) await lockPayment(tx, paymentIntent);
    const objectId =
      subject.kind === 'session'
        ? subject.sessionId
        : subject.kind === 'refund'
          ? subject.chargeId
          : subject.disputeId;
    const recorded = await recordStripeEvent(tx, {
      id: event.id,
      type: event.type,
      fact,
      objectId,
      paymentIntent,
    });
    if (!recorded) return;
    const status = paymentIntent ? licenseStatusFromFacts(await paymentFacts(tx, paymentIntent)) : 'active';
    if (subject.kind === 'session' && fact === 'paid') {
      await createLicenseForSession(tx, {
        sessionId: subject.sessionId,
        paymentIntent,
        email: subject.email,
        key: licenseKeyForSession(deps.pepper, subject.sessionId),
        status,
      });
    } else if (paymentIntent) {
      // A revoked license stays revoked: both facts that revoke are final.
      await setStatusByPaymentIntent(tx, paymentIntent, ['active', 'suspended'], status);
    }
    if (paymentIntent) await auditPaymentFacts(tx, paymentIntent);
  });
}
