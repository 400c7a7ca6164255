import { randomBytes } from 'node:crypto';
import { getRequestListener } from '@hono/node-server';
import type { Hono } from 'hono';
import type { Plugin } from 'vite';
import { createApp } from '../../server/app';
import { loadConfig } from '../../server/config';
import { openDatabase, type Db } from '../../server/db/database';
import { developmentSigningKey } from '../license-public-key-plugin';

type Fetch = (request: Request) => Response | Promise<Response>;

/**
 * Serves the license API (server/) from Vite's preview server, on the app's own origin: `/api/*`
 * and `/.well-known/security.txt` go to `fetch` (a Hono app's), everything else to the built app.
 */
export function licenseApiPlugin(fetch: Fetch): Plugin {
  const api = getRequestListener(fetch);
  return {
    name: 'doppel-license-api',
    configurePreviewServer(server) {
      server.middlewares.use((req, res, next) => {
        if (req.url?.startsWith('/api/') || req.url === '/.well-known/security.txt') void api(req, res);
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
 * bundled (scripts/license-public-key-plugin.ts).
 */
export function previewLicenseApi(): PreviewLicenseApi {
  let db: Promise<Db> | undefined;
  let app: Promise<Hono> | undefined;
  const database = () => (db ??= openDatabase({ memory: true }));
  const signingKey = developmentSigningKey();
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
