import { randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Db } from '../db/database';

export const NONCE_TTL_MS = 5 * 60 * 1000;

/** A fresh single-use nonce for a device proof; expired ones are cleared on the way. */
export async function createNonce(db: Db, now: Date): Promise<{ nonce: string; expiresAt: Date }> {
  await db.deleteFrom('nonces').where('expires_at', '<=', now).execute();
  const nonce = randomBytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + NONCE_TTL_MS);
  await db.insertInto('nonces').values({ nonce, expires_at: expiresAt }).execute();
  return { nonce, expiresAt };
}

/** Uses the nonce up; false when it was unknown, already used or expired. */
export async function consumeNonce(db: Db, nonce: string): Promise<boolean> {
  const row = await db
    .deleteFrom('nonces')
    .where('nonce', '=', nonce)
    .where('expires_at', '>', sql<Date>`now()`)
    .returning('nonce')
    .executeTakeFirst();
  return row !== undefined;
}
