import { Hono } from 'hono';
import { z } from 'zod';
import type { RouteDeps } from '../app-deps';
import { ApiError } from '../http/api-error';
import { limitRequest } from '../http/limit-request';
import { readJson } from '../http/read-json';
import { PAID_PLANS } from '../licensing/plans';
import { sessionHasLicense } from '../store/stripe-licenses';
import { licenseKeyForSession } from '../stripe/session-license-key';

const checkoutRequest = z.strictObject({ plan: z.enum(PAID_PLANS) });
const sessionId = z.string().regex(/^cs_[A-Za-z0-9_]{1,250}$/);

/** What the buyer sees; what the operator must set goes to the server's log (stripeNotConfigured). */
export const STRIPE_NOT_CONFIGURED = new ApiError(
  503,
  'STRIPE_NOT_CONFIGURED',
  'Buying is not available on this server.',
);

function stripeNotConfigured(): ApiError {
  console.warn(
    'Checkout refused: Stripe is not set up. Set STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET and STRIPE_PRICE_PRO.',
  );
  return STRIPE_NOT_CONFIGURED;
}

/** POST /api/checkout {plan} -> {url} of a Stripe Checkout Session; GET /api/checkout/:sessionId -> its key. */
export function checkoutRoutes(deps: RouteDeps): Hono {
  return new Hono()
    .post('/', async (c) => {
      await limitRequest(deps, c, 'checkout');
      const { plan } = await readJson(c, checkoutRequest);
      if (!deps.stripe) throw stripeNotConfigured();
      const { client, config } = deps.stripe;
      let url: string | null;
      try {
        ({ url } = await client.checkout.sessions.create({
          mode: 'payment',
          line_items: [{ price: config.pricePro, quantity: 1 }],
          automatic_tax: { enabled: true },
          customer_creation: 'always',
          metadata: { plan },
          success_url: `${config.appUrl}/#/license?checkout={CHECKOUT_SESSION_ID}`,
          cancel_url: `${config.appUrl}/#/license`,
        }));
      } catch (error) {
        console.error(error);
        url = null;
      }
      if (!url)
        throw new ApiError(502, 'STRIPE_UNAVAILABLE', 'The payment page could not be opened; try again.');
      return c.json({ url });
    })
    .get('/:sessionId', async (c) => {
      await limitRequest(deps, c, 'checkout');
      const id = sessionId.safeParse(c.req.param('sessionId'));
      if (!id.success)
        throw new ApiError(400, 'INVALID_REQUEST', 'sessionId: expected a Checkout Session id');
      if (!(await sessionHasLicense(deps.db, id.data))) {
        throw new ApiError(
          404,
          'CHECKOUT_PENDING',
          'The payment has not been confirmed yet; this page checks again.',
        );
      }
      return c.json({ key: licenseKeyForSession(deps.pepper, id.data), plan: 'pro' });
    });
}
