import type { Context } from 'hono';
import type { RouteDeps } from '../app-deps';
import { clientAddress } from './client-address';

/** Spends one request of `route` from the caller's address budget and, when given, the key's or device's. */
export function limitRequest(deps: RouteDeps, c: Context, route: string, key?: string): Promise<void> {
  return deps.limits.check(route, clientAddress(c, deps.config.trustedProxies), key);
}
