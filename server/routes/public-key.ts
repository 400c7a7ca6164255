import type { KeyObject } from 'node:crypto';
import { Hono } from 'hono';
import { publicKeySpkiBase64 } from '../crypto/signing-key';

/** GET /api/license-public-key: the key license files are verified with (the app bundles the same one). */
export function publicKeyRoutes(signingKey: KeyObject): Hono {
  const body = { alg: 'Ed25519', spki: publicKeySpkiBase64(signingKey) };
  return new Hono().get('/', (c) => c.json(body));
}
