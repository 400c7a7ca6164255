import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import { secureHeaders } from 'hono/secure-headers';
import type { AppDeps } from './app-deps';
import { BODY_LIMIT_BYTES, WEBHOOK_BODY_LIMIT_BYTES } from './config';
import { errorBody, errorResponse } from './http/api-error';
import { RateLimits } from './http/rate-limits';
import { LicenseFiles } from './licensing/license-file-cache';
import { accountRoutes } from './routes/account';
import { checkoutRoutes } from './routes/checkout';
import { licenseRoutes } from './routes/licenses';
import { nonceRoutes } from './routes/nonce';
import { publicKeyRoutes } from './routes/public-key';
import { securityTxtRoutes } from './routes/security-txt';
import { stripeWebhookRoutes } from './routes/stripe-webhook';
import { transparencyRoutes } from './routes/transparency';
import { trialRoutes } from './routes/trial';

/** The license API as a Hono app; main.ts serves it, and tests call app.request directly. */
export function createApp(deps: AppDeps): Hono {
  const routeDeps = {
    ...deps,
    limits: new RateLimits(deps.db, deps.pepper, deps.config.limits),
    licenseFiles: new LicenseFiles(deps.signingKey),
  };
  const app = new Hono();
  app.use(
    secureHeaders({
      contentSecurityPolicy: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] },
      crossOriginResourcePolicy: deps.config.appOrigins.length > 0 ? 'cross-origin' : 'same-origin',
    }),
  );
  if (deps.config.appOrigins.length > 0) {
    app.use(
      '/api/*',
      cors({ origin: deps.config.appOrigins, allowHeaders: ['Content-Type', 'Authorization'], maxAge: 600 }),
    );
  }
  app.use('/api/*', async (c, next) => {
    await next();
    c.header('Cache-Control', 'no-store');
  });
  const limitBody = (maxSize: number) =>
    bodyLimit({
      maxSize,
      onError: (c) =>
        c.json(errorBody('PAYLOAD_TOO_LARGE', `Request bodies are limited to ${maxSize} bytes.`), 413),
    });
  const webhookLimit = limitBody(WEBHOOK_BODY_LIMIT_BYTES);
  const apiLimit = limitBody(BODY_LIMIT_BYTES);
  app.use('/api/*', (c, next) => (c.req.path === '/api/stripe/webhook' ? webhookLimit : apiLimit)(c, next));
  app.route('/api/nonce', nonceRoutes(routeDeps));
  app.route('/api/trial', trialRoutes(routeDeps));
  app.route('/api/licenses', licenseRoutes(routeDeps));
  app.route('/api/account', accountRoutes(routeDeps));
  app.route('/api/checkout', checkoutRoutes(routeDeps));
  app.route('/api/stripe/webhook', stripeWebhookRoutes(routeDeps));
  app.route('/api/license-public-key', publicKeyRoutes(deps.signingKey));
  app.route('/api/transparency', transparencyRoutes(routeDeps));
  app.route(
    '/.well-known/security.txt',
    securityTxtRoutes(deps.config.securityContact, deps.config.securityTxtExpires),
  );
  app.notFound((c) =>
    c.json(errorBody('ROUTE_NOT_FOUND', `No API route ${c.req.method} ${c.req.path}.`), 404),
  );
  app.onError((error, c) => errorResponse(c, error));
  return app;
}
