import { randomBytes } from 'node:crypto';
import { getRequestListener } from '@hono/node-server';
import type { Hono } from 'hono';
import type { Plugin } from 'vite';
import { createApp } from '../../server/app';
import { loadConfig } from '../../server/config';
import { openDatabase, type Db } from '../../server/db/database';
import { publicKeySpkiBase64 } from '../../server/crypto/signing-key';
import { bundledLicensePublicKey, developmentSigningKey } from '../license-public-key-plugin';

type Fetch = (request: Request) => Response | Promise<Response>;

/**
 * Serves the license API (server/) from Vite's preview server, on the app's own origin: `/api/*`
 * goes to `fetch` (a Hono app's), everything else to the built app, whose own
 * `/.well-known/security.txt` (part of the verified build) wins over the API server's.
 * The preview's headers (vite.config.ts `securityHeaders`: COOP, COEP, CORP, CSP) go on every
 * response, not only on the static files Vite's preview sets them on: the API's replies (whose own
 * headers win where both set one) and the 404s and 304s too, so the page stays cross-origin isolated.
 */
export function licenseApiPlugin(fetch: Fetch): Plugin {
  const api = getRequestListener(fetch);
  return {
    name: 'doppel-license-api',
    configurePreviewServer(server) {
      const headers = server.config.preview.headers ?? {};
      server.middlewares.use((_req, res, next) => {
        for (const [name, value] of Object.entries(headers))
          if (value !== undefined) res.setHeader(name, value);
        next();
      });
      server.middlewares.use((req, res, next) => {
        if (req.url?.startsWith('/api/')) void api(req, res);
        else next();
      });
    },
  };
}

/** The license API that test previews serve, and its database for the test to issue keys in. */
export interface PreviewLicenseApi {
  fetch: Fetch;
  /** The API's database (opened on first use). */
  database(): Promise<Db>;
  /** The API's device pepper, which also derives the keys of paid Checkout Sessions. */
  pepper: Buffer;
  close(): Promise<void>;
}

/**
 * The license API for tests: in-memory PGlite, opened on first use (previews that never call the API
 * do not pay for it), a fresh pepper, no Stripe, and the signing key whose public half the build
 * bundled (scripts/license-public-key-plugin.ts). Throws when DOPPEL_LICENSE_PUBLIC_KEY names
 * another key, since the app would then reject every license this API issues.
 */
export function previewLicenseApi(): PreviewLicenseApi {
  let db: Promise<Db> | undefined;
  let app: Promise<Hono> | undefined;
  const database = () => (db ??= openDatabase({ memory: true }));
  const signingKey = developmentSigningKey();
  const bundled = bundledLicensePublicKey();
  if (bundled.spki !== publicKeySpkiBase64(signingKey)) {
    throw new Error(
      `${bundled.source} is not the public half of the key the preview's license API signs with (DOPPEL_SIGNING_KEY, else the development key in the data directory), so the app would reject its licenses. Unset DOPPEL_LICENSE_PUBLIC_KEY for tests, or set DOPPEL_SIGNING_KEY to its private half.`,
    );
  }
  const pepper = randomBytes(32);
  const config = loadConfig({ ...process.env, NODE_ENV: 'development' });
  const started = () =>
    (app ??= database().then((opened) =>
      createApp({ db: opened, signingKey, pepper, config, now: () => new Date(), stripe: null }),
    ));
  return {
    fetch: async (request) => (await started()).fetch(request),
    database,
    pepper,
    close: async () => (db ? (await db).destroy() : undefined),
  };
}
