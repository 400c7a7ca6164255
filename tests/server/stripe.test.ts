import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDevice, rowCounts, send, startTestServer, type TestServer, requestActivation } from './harness';
import { startStripeStandIn } from './stripe-stand-in';

const webhookSecret = 'whsec_test_doppel';
let standIn: Awaited<ReturnType<typeof startStripeStandIn>>;
let server: TestServer;

beforeAll(async () => {
  standIn = await startStripeStandIn();
  const client = new Stripe('sk_test_standin', { host: '127.0.0.1', port: standIn.port, protocol: 'http' });
  server = await startTestServer({
    stripe: {
      client,
      config: {
        secretKey: 'sk_test_standin',
        webhookSecret,
        pricePro: 'price_pro',
        appUrl: 'http://app.test',
      },
    },
  });
});
afterAll(() => standIn.close());

let nextEvent = 1;
function event(type: string, object: object) {
  return { id: `evt_test_${nextEvent++}`, object: 'event', type, data: { object } };
}

function deliver(payload: object, options: { secret?: string; timestamp?: number } = {}) {
  const body = JSON.stringify(payload);
  const signature = Stripe.webhooks.generateTestHeaderString({
    payload: body,
    secret: options.secret ?? webhookSecret,
    timestamp: options.timestamp ?? Math.floor(Date.now() / 1000),
  });
  return send(server.app, 'POST', '/api/stripe/webhook', body, { 'stripe-signature': signature });
}

function paidSession(id: string, paymentIntent: string, paymentStatus = 'paid') {
  return {
    id,
    object: 'checkout.session',
    payment_status: paymentStatus,
    payment_intent: paymentIntent,
    customer_details: { email: 'buyer@example.com' },
  };
}

async function keyFor(sessionId: string): Promise<string> {
  const response = await send(server.app, 'GET', `/api/checkout/${sessionId}`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { key: string }).key;
}

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
    const params = standIn.requests.at(-1)!;
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
    const session = { ...paidSession('cs_test_large', 'pi_large'), metadata: { pad: 'x'.repeat(40_000) } };
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

    await deliver(
      event('charge.dispute.created', {
        id: 'dp_1',
        object: 'dispute',
        payment_intent: 'pi_refund',
        status: 'needs_response',
      }),
    );
    expect(await validate(key, device.deviceId)).toBe('SUSPENDED');
    await deliver(
      event('charge.dispute.closed', {
        id: 'dp_1',
        object: 'dispute',
        payment_intent: 'pi_refund',
        status: 'won',
      }),
    );
    expect(await validate(key, device.deviceId)).toBe('VALID');

    await deliver(
      event('charge.refunded', { id: 'ch_1', object: 'charge', payment_intent: 'pi_refund', refunded: true }),
    );
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
