import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LicenseStatus } from '../../server/db/schema';
import { charge, dispute, event, paidSession, startStripeTestServer } from './stripe-webhooks';

/**
 * Stripe delivers events in any order (after an outage, on retries): every permutation of each
 * story must end in the same license state and the same recorded facts.
 */
let stripe: Awaited<ReturnType<typeof startStripeTestServer>>;
beforeAll(async () => {
  stripe = await startStripeTestServer();
});
afterAll(() => stripe.standIn.close());

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) =>
    permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]),
  );
}

type Step = (paymentIntent: string, sessionId: string) => { type: string; object: object };

const completed: Step = (pi, cs) => ({ type: 'checkout.session.completed', object: paidSession(cs, pi) });
const refunded: Step = (pi) => ({ type: 'charge.refunded', object: charge(`ch_${pi}`, pi) });
const disputeStep =
  (type: string, status: string): Step =>
  (pi) => ({ type: `charge.dispute.${type}`, object: dispute(`dp_${pi}`, pi, status) });
const opened = disputeStep('created', 'needs_response');
const reviewed = disputeStep('updated', 'under_review');

const stories: { name: string; steps: Step[]; status: LicenseStatus; facts: string[] }[] = [
  {
    name: 'a refunded purchase',
    steps: [completed, refunded],
    status: 'revoked',
    facts: ['paid', 'refunded'],
  },
  {
    name: 'a dispute still open',
    steps: [completed, opened],
    status: 'suspended',
    facts: ['dispute_open', 'paid'],
  },
  {
    name: 'a won dispute',
    steps: [completed, opened, reviewed, disputeStep('closed', 'won')],
    status: 'active',
    facts: ['dispute_open', 'dispute_open', 'dispute_won', 'paid'],
  },
  {
    name: 'a lost dispute',
    steps: [completed, opened, reviewed, disputeStep('closed', 'lost')],
    status: 'revoked',
    facts: ['dispute_lost', 'dispute_open', 'dispute_open', 'paid'],
  },
];

let story = 0;
describe.each(stories)('$name, delivered in every order', ({ steps, status, facts }) => {
  it(`ends ${status}, with one license and every event recorded once`, async () => {
    const { server, deliver } = stripe;
    for (const order of permutations(steps.map((_, i) => i))) {
      const pi = `pi_order_${story}`;
      const cs = `cs_test_order_${story++}`;
      const events = steps.map((step) => {
        const { type, object } = step(pi, cs);
        return event(type, object);
      });
      for (const i of order) expect((await deliver(events[i]!)).status).toBe(200);
      // Delivered again, in reverse: nothing changes.
      for (const i of [...order].reverse()) expect((await deliver(events[i]!)).status).toBe(200);

      const where = `order ${order.join(',')}`;
      const licenses = await server.db
        .selectFrom('licenses')
        .select(['status', 'stripe_session_id'])
        .where('stripe_payment_intent', '=', pi)
        .execute();
      expect(licenses, where).toEqual([{ status, stripe_session_id: cs }]);
      const recorded = await server.db
        .selectFrom('stripe_events')
        .select(['id', 'fact'])
        .where('payment_intent', '=', pi)
        .orderBy('fact')
        .execute();
      expect(
        recorded.map((row) => row.fact),
        where,
      ).toEqual(facts);
      expect(recorded.map((row) => row.id).sort(), where).toEqual(events.map((e) => e.id).sort());
    }
  });
});
