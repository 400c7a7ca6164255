import type { Server } from 'node:http';
import { Server as NetServer, type AddressInfo } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';

/** How long a drain waits for in-flight requests before it closes the connections left. */
const DRAIN_TIMEOUT_MS = 25_000;

export interface GracefulServer {
  port: number;
  /**
   * Stops accepting connections, serves what is already on the open ones (each answer then closes
   * its connection), and resolves when every connection has ended: the database can close then.
   */
  drain(): Promise<void>;
}

/**
 * The API on a Node HTTP server that shuts down without failing a request. Node's own
 * `server.close()` also closes the keep-alive connections that look idle, and one of them may
 * already carry the client's next request that the server has not read yet: that request would
 * fail. So a drain only stops listening; every answer from then on says `Connection: close`, idle
 * connections end at their keep-alive timeout, and whatever is still open after DRAIN_TIMEOUT_MS is
 * closed.
 */
export function serveGracefully(
  fetch: (request: Request) => Response | Promise<Response>,
  port: number,
  hostname?: string,
): Promise<GracefulServer> {
  const server = createAdaptorServer({ fetch }) as Server;
  let draining = false;
  server.prependListener('request', (_request, response) => {
    if (draining) response.setHeader('Connection', 'close');
  });
  const drain = () =>
    new Promise<void>((resolve) => {
      draining = true;
      const forced = setTimeout(() => server.closeAllConnections(), DRAIN_TIMEOUT_MS).unref();
      NetServer.prototype.close.call(server, () => {
        clearTimeout(forced);
        resolve();
      });
    });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, hostname, () => {
      server.off('error', reject);
      resolve({ port: (server.address() as AddressInfo).port, drain });
    });
  });
}
