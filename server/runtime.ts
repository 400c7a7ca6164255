import type { Hono } from 'hono';
import Stripe from 'stripe';
import { createApp } from './app';
import type { ServerConfig } from './config';
import { loadDevicePepper } from './crypto/device-pepper';
import { loadSigningKey } from './crypto/signing-key';
import { openDatabase, type Db } from './db/database';
import { DataDirLockedError } from './db/data-dir-lock';

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

/** startRuntime for a command: a data directory another process holds ends it with that message, exit 1. */
export function startRuntimeOrExit(config: ServerConfig, name: string): Promise<{ app: Hono; db: Db }> {
  return startRuntime(config).catch((error: unknown) => {
    if (!(error instanceof DataDirLockedError)) throw error;
    console.error(`${name}: ${error.message}`);
    process.exit(1);
  });
}
