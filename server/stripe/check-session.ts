import type { StripeDeps } from '../app-deps';
import { PAID_PLANS, type PaidPlan } from '../licensing/plans';
import type { SessionEvent } from './parse-event';

/**
 * Whether a paid Checkout Session is one of ours: mode payment, a plan we sell in its metadata,
 * and (read back from Stripe, since events do not carry them) line items only of that plan's price.
 * Anything else on the Stripe account is logged and makes no license.
 */
export async function checkSession(stripe: StripeDeps, session: SessionEvent): Promise<boolean> {
  const prices: Record<PaidPlan, string> = { pro: stripe.config.pricePro };
  const plan = PAID_PLANS.find((known) => known === session.plan);
  let problem: string | null = null;
  if (session.mode !== 'payment') problem = `mode ${session.mode}`;
  else if (!plan) problem = 'no plan of ours in its metadata';
  else {
    const items = await stripe.client.checkout.sessions.listLineItems(session.sessionId, { limit: 10 });
    const foreign = items.data.find((item) => item.price?.id !== prices[plan]);
    if (items.data.length === 0 || items.has_more || foreign) {
      problem = `a price that is not ${plan}'s (${foreign?.price?.id ?? 'none'})`;
    }
  }
  if (problem) console.warn(`Stripe Checkout Session ${session.sessionId} ignored: ${problem}.`);
  return problem === null;
}
