import { Hono } from 'hono';
import type { RouteDeps } from '../app-deps';
import { limitRequest } from '../http/limit-request';
import { createNonce } from '../store/nonces';
import type { NonceReply } from '../../src/shared/license/api-replies';

/** POST /api/nonce: a single-use nonce for the device to sign (see src/shared/license/device-proof.ts). */
export function nonceRoutes(deps: RouteDeps): Hono {
  return new Hono().post('/', async (c) => {
    await limitRequest(deps, c, 'nonce');
    const { nonce, expiresAt } = await createNonce(deps.db, deps.now());
    return c.json({ nonce, expiresAt: expiresAt.toISOString() } satisfies NonceReply, 201);
  });
}
