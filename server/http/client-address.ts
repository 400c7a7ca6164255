import { isIP } from 'node:net';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context } from 'hono';

function socketAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/**
 * The caller's address. With no trusted proxy, the socket's peer. Behind `trustedProxies` proxies,
 * each of which appends the address it received the request from to X-Forwarded-For: the hop that
 * many places left of the socket's peer, i.e. the rightmost address no trusted proxy wrote. Hops
 * further left were written by the client and are ignored, so a spoofed X-Forwarded-For changes
 * nothing. When the header holds fewer hops than that, its leftmost address is used.
 */
export function clientAddress(c: Context, trustedProxies: number): string {
  const peer = socketAddress(c);
  if (trustedProxies === 0) return peer;
  const forwarded = (c.req.header('x-forwarded-for') ?? '')
    .split(',')
    .map((hop) => hop.trim())
    .filter(Boolean);
  const hops = [...forwarded, peer];
  const client = hops[Math.max(0, hops.length - 1 - trustedProxies)]!;
  return isIP(client) ? client : peer;
}
