import { Hono } from 'hono';
import type { RouteDeps } from '../app-deps';
import { ApiError } from '../http/api-error';
import { handleStripeEvent } from '../stripe/handle-event';
import { STRIPE_NOT_CONFIGURED } from './checkout';

/**
 * POST /api/stripe/webhook: the raw body, verified against Stripe-Signature (5-minute tolerance),
 * then checked against the event's documented shape (400 INVALID_EVENT).
 */
export function stripeWebhookRoutes(deps: RouteDeps): Hono {
  return new Hono().post('/', async (c) => {
    if (!deps.stripe) throw STRIPE_NOT_CONFIGURED;
    const payload = await c.req.text();
    let event;
    try {
      event = await deps.stripe.client.webhooks.constructEventAsync(
        payload,
        c.req.header('stripe-signature') ?? '',
        deps.stripe.config.webhookSecret,
      );
    } catch {
      throw new ApiError(
        400,
        'BAD_SIGNATURE',
        'The Stripe-Signature header does not match this body, or it is stale.',
      );
    }
    await handleStripeEvent({ ...deps, stripe: deps.stripe }, event);
    return c.json({ received: true });
  });
}
