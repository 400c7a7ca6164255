import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDevice, rowCounts, send, startTestServer, type TestServer, requestActivation } from './harness';
import { charge, dispute, event, paidSession, startStripeTestServer } from './stripe-webhooks';

let stripe: Awaited<ReturnType<typeof startStripeTestServer>>;
let server: TestServer;

beforeAll(async () => {
  stripe = await startStripeTestServer();
  server = stripe.server;
});
afterAll(() => stripe.standIn.close());

const deliver: (typeof stripe)['deliver'] = (...args) => stripe.deliver(...args);
const keyFor = (sessionId: string) => stripe.keyFor(sessionId);

async function validate(key: string, deviceId: string) {
  return (
    (await (await send(server.app, 'POST', '/api/licenses/validate', { key, deviceId })).json()) as {
      code: string;
    }
  ).code;
}

describe('checkout', () => {
  it('creates a payment-mode session with automatic tax and a customer, through the Stripe SDK', async () => {
    const response = await send(server.app, 'POST', '/api/checkout', { plan: 'pro' });
    expect(await response.json()).toEqual({ url: 'https://checkout.stripe.test/pay/cs_test_standin1' });
    const params = stripe.standIn.requests.at(-1)!;
    expect(params.get('mode')).toBe('payment');
    expect(params.get('automatic_tax[enabled]')).toBe('true');
    expect(params.get('customer_creation')).toBe('always');
    expect(params.get('line_items[0][price]')).toBe('price_pro');
    expect(params.get('success_url')).toBe('http://app.test/#/license?checkout={CHECKOUT_SESSION_ID}');
  });

  it('refuses unknown plans and unknown keys', async () => {
    for (const body of [{ plan: 'gold' }, { plan: 'pro', coupon: 'FREE' }, {}]) {
      const response = await send(server.app, 'POST', '/api/checkout', body);
      expect(response.status).toBe(400);
    }
  });

  it('answers 503 STRIPE_NOT_CONFIGURED without Stripe keys', async () => {
    const bare = await startTestServer();
    const response = await send(bare.app, 'POST', '/api/checkout', { plan: 'pro' });
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ error: { code: 'STRIPE_NOT_CONFIGURED' } });
  });
});

describe('webhooks', () => {
  it('accept events larger than the 16 KiB limit on our own requests', async () => {
    const session = {
      ...paidSession('cs_test_large', 'pi_large'),
      metadata: { plan: 'pro', pad: 'x'.repeat(40_000) },
    };
    expect((await deliver(event('checkout.session.completed', session))).status).toBe(200);
  });

  it('create exactly one license for a session delivered five times', async () => {
    const before = await rowCounts(server.db);
    const payload = event('checkout.session.completed', paidSession('cs_test_replayed', 'pi_replayed'));
    for (let i = 0; i < 5; i++) expect((await deliver(payload)).status).toBe(200);
    await deliver(event('checkout.session.completed', paidSession('cs_test_replayed', 'pi_replayed')));
    expect((await rowCounts(server.db)).licenses).toBe(before.licenses + 1);
    const key = await keyFor('cs_test_replayed');
    const device = await makeDevice();
    const activated = await requestActivation(server.app, device, key);
    expect(activated.status).toBe(200);
  });

  it('wait for an asynchronous payment before creating the license', async () => {
    await deliver(event('checkout.session.completed', paidSession('cs_test_async', 'pi_async', 'unpaid')));
    expect((await send(server.app, 'GET', '/api/checkout/cs_test_async')).status).toBe(404);
    await deliver(
      event('checkout.session.async_payment_succeeded', paidSession('cs_test_async', 'pi_async')),
    );
    expect(await keyFor('cs_test_async')).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){7}$/);
  });

  it('revoke on refund, suspend on dispute and restore when the dispute is won', async () => {
    const device = await makeDevice();
    await deliver(event('checkout.session.completed', paidSession('cs_test_refund', 'pi_refund')));
    const key = await keyFor('cs_test_refund');
    await requestActivation(server.app, device, key);
    expect(await validate(key, device.deviceId)).toBe('VALID');

    await deliver(event('charge.dispute.created', dispute('dp_1', 'pi_refund', 'needs_response')));
    expect(await validate(key, device.deviceId)).toBe('SUSPENDED');
    await deliver(event('charge.dispute.closed', dispute('dp_1', 'pi_refund', 'won')));
    expect(await validate(key, device.deviceId)).toBe('VALID');

    await deliver(event('charge.refunded', charge('ch_1', 'pi_refund')));
    expect(await validate(key, device.deviceId)).toBe('REVOKED');
  });

  it('reject bad signatures and stale timestamps, changing nothing', async () => {
    const before = await rowCounts(server.db);
    const payload = event('checkout.session.completed', paidSession('cs_test_forged', 'pi_forged'));
    const forged = await deliver(payload, { secret: 'whsec_someone_else' });
    const stale = await deliver(payload, { timestamp: Math.floor(Date.now() / 1000) - 600 });
    const unsigned = await send(server.app, 'POST', '/api/stripe/webhook', JSON.stringify(payload));
    for (const response of [forged, stale, unsigned]) {
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: { code: 'BAD_SIGNATURE' } });
    }
    expect(await rowCounts(server.db)).toEqual(before);
    const events = await server.db
      .selectFrom('stripe_events')
      .select('id')
      .where('id', '=', payload.id)
      .execute();
    expect(events).toEqual([]);
  });
});

describe('fulfilment checks', () => {
  it('make no license for a session of another price, mode or plan, and record it as ignored', async () => {
    stripe.standIn.linePrices.set('cs_test_other_price', 'price_someone_else');
    const sessions = [
      paidSession('cs_test_other_price', 'pi_other_price'),
      { ...paidSession('cs_test_subscription', 'pi_subscription'), mode: 'subscription' },
      { ...paidSession('cs_test_no_plan', 'pi_no_plan'), metadata: {} },
      { ...paidSession('cs_test_gold', 'pi_gold'), metadata: { plan: 'gold' } },
    ];
    const before = await rowCounts(server.db);
    for (const session of sessions) {
      expect((await deliver(event('checkout.session.completed', session))).status).toBe(200);
      expect((await send(server.app, 'GET', `/api/checkout/${session.id}`)).status).toBe(404);
    }
    expect((await rowCounts(server.db)).licenses).toBe(before.licenses);
    const facts = await server.db
      .selectFrom('stripe_events')
      .select(['object_id', 'fact'])
      .where(
        'object_id',
        'in',
        sessions.map((session) => session.id),
      )
      .execute();
    expect(facts.map((row) => row.fact)).toEqual(['ignored', 'ignored', 'ignored', 'ignored']);
  });

  it('answer 400 INVALID_EVENT to a signed event that does not have the shape Stripe sends', async () => {
    const before = await rowCounts(server.db);
    const bodies = [
      event('checkout.session.completed', { id: 'cs_test_shapeless' }),
      event('checkout.session.completed', {
        ...paidSession('cs_test_bad_status', 'pi_x'),
        payment_status: 7,
      }),
      event('charge.refunded', { id: 'ch_x', payment_intent: 'pi_x' }),
      event('charge.dispute.closed', { id: 'dp_x', payment_intent: { no: 'id' }, status: 'won' }),
      { ...event('charge.refunded', charge('ch_y', 'pi_y')), id: 'not an event id' },
      { id: 'evt_test_no_data', type: 'charge.refunded' },
    ];
    for (const body of bodies) {
      const response = await deliver(body);
      expect(response.status, JSON.stringify(body)).toBe(400);
      expect(await response.json()).toMatchObject({ error: { code: 'INVALID_EVENT' } });
    }
    expect(await rowCounts(server.db)).toEqual(before);
  });

  it('acknowledge event types they do not handle without recording them', async () => {
    const before = await rowCounts(server.db);
    expect((await deliver(event('customer.created', { id: 'cus_1' }))).status).toBe(200);
    expect(await rowCounts(server.db)).toEqual(before);
  });
});
