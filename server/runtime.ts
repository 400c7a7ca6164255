import type { Hono } from 'hono';
import Stripe from 'stripe';
import { createApp } from './app';
import type { ServerConfig } from './config';
import { loadDevicePepper } from './crypto/device-pepper';
import { loadSigningKey } from './crypto/signing-key';
import { openDatabase, type Db } from './db/database';

/** Opens the configured database (migrated) and builds the app around it: for main.ts and scripts/serve.ts. */
export async function startRuntime(config: ServerConfig): Promise<{ app: Hono; db: Db }> {
  const db = await openDatabase(
    config.databaseUrl ? { url: config.databaseUrl } : { pgliteDir: config.dataDir },
  );
  const app = createApp({
    db,
    signingKey: loadSigningKey(config),
    pepper: loadDevicePepper(config),
    config,
    now: () => new Date(),
    stripe: config.stripe && { client: new Stripe(config.stripe.secretKey), config: config.stripe },
  });
  return { app, db };
}
