import type { Hono } from 'hono';
import Stripe from 'stripe';
import { createApp } from './app';
import type { ServerConfig } from './config';
import { loadDevicePepper } from './crypto/device-pepper';
import { loadSigningKey } from './crypto/signing-key';
import { openDatabase, type Db } from './db/database';
import { DataDirLockedError } from './db/data-dir-lock';
import { startRetentionJob } from './transparency/retention';

/** A started server: its app, its database, and the retention job to stop before the database closes. */
export interface Runtime {
  app: Hono;
  db: Db;
  retention: { stop: () => Promise<void> };
}

/**
 * Opens the configured database (migrated), builds the app around it and starts the retention job:
 * for main.ts and scripts/serve.ts.
 */
export async function startRuntime(config: ServerConfig): Promise<Runtime> {
  const db = await openDatabase(
    config.databaseUrl ? { url: config.databaseUrl } : { pgliteDir: config.dataDir },
  );
  const signingKey = loadSigningKey(config);
  const now = () => new Date();
  const app = createApp({
    db,
    signingKey,
    pepper: loadDevicePepper(config),
    config,
    now,
    stripe: config.stripe && { client: new Stripe(config.stripe.secretKey), config: config.stripe },
    transparency: config.transparency,
  });
  const retention = startRetentionJob({ db, signingKey, transparency: config.transparency, now });
  return { app, db, retention };
}

/** startRuntime for a command: a data directory another process holds ends it with that message, exit 1. */
export function startRuntimeOrExit(config: ServerConfig, name: string): Promise<Runtime> {
  return startRuntime(config).catch((error: unknown) => {
    if (!(error instanceof DataDirLockedError)) throw error;
    console.error(`${name}: ${error.message}`);
    process.exit(1);
  });
}
