import { randomBytes } from 'node:crypto';
import Stripe from 'stripe';
import { expect } from 'vitest';
import { send, startTestServer, type TestServerOptions } from './harness';
import { startStripeStandIn } from './stripe-stand-in';

const webhookSecret = 'whsec_test_doppel';

/** A test server selling through the Stripe SDK (against the stand-in), and signed webhook deliveries. */
export async function startStripeTestServer(options: TestServerOptions = {}) {
  const standIn = await startStripeStandIn();
  const client = new Stripe('sk_test_standin', { host: '127.0.0.1', port: standIn.port, protocol: 'http' });
  const server = await startTestServer({
    ...options,
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

  /** Signs the body as Stripe does (the SDK's own test helper) and POSTs it to the webhook. */
  const deliver = (payload: object | string, options: { secret?: string; timestamp?: number } = {}) => {
    const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
    const signature = Stripe.webhooks.generateTestHeaderString({
      payload: body,
      secret: options.secret ?? webhookSecret,
      timestamp: options.timestamp ?? Math.floor(Date.now() / 1000),
    });
    return send(server.app, 'POST', '/api/stripe/webhook', body, { 'stripe-signature': signature });
  };

  const keyFor = async (sessionId: string): Promise<string> => {
    const response = await send(server.app, 'GET', `/api/checkout/${sessionId}`);
    expect(response.status).toBe(200);
    return ((await response.json()) as { key: string }).key;
  };

  return { server, standIn, deliver, keyFor };
}

let nextEvent = 1;
/** Event ids unique across test files too: on PostgreSQL they share one stripe_events table. */
const eventPrefix = `evt_test_${randomBytes(4).toString('hex')}`;
export function event(type: string, object: object) {
  return {
    id: `${eventPrefix}_${nextEvent++}`,
    object: 'event',
    type,
    created: 1_700_000_000,
    data: { object },
  };
}

export function paidSession(id: string, paymentIntent: string | null, paymentStatus = 'paid') {
  return {
    id,
    object: 'checkout.session',
    mode: 'payment',
    metadata: { plan: 'pro' },
    payment_status: paymentStatus,
    payment_intent: paymentIntent,
    customer_details: { email: 'buyer@example.com' },
  };
}

export function charge(id: string, paymentIntent: string, refunded = true) {
  return { id, object: 'charge', payment_intent: paymentIntent, refunded };
}

export function dispute(id: string, paymentIntent: string, status: string) {
  return { id, object: 'dispute', payment_intent: paymentIntent, status };
}
