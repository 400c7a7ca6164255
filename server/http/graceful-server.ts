import type { Server } from 'node:http';
import { Server as NetServer, type AddressInfo, type Socket } from 'node:net';
import { createAdaptorServer } from '@hono/node-server';

/** How long a drain waits for in-flight requests before it closes the connections left. */
const DRAIN_TIMEOUT_MS = 25_000;

/** The IPC message with which an instance's primary hands it an accepted connection (the socket). */
export const CONNECTION_MESSAGE = 'doppel:connection';

export interface GracefulServer {
  port: number;
  /**
   * Stops accepting connections, serves what is already on the open ones (each answer then closes
   * its connection), and resolves when every connection has ended: the database can close then.
   */
  drain(): Promise<void>;
}

/** Where an instance's connections come from: its own listening socket, or its primary. */
export type ConnectionSource =
  | { listen: number; hostname?: string }
  /** Sockets the primary accepted on `port` and sent over IPC (`--instances N`). */
  | { handedOn: number };

/**
 * The API on a Node HTTP server that shuts down without failing a request. Node's own
 * `server.close()` also closes the keep-alive connections that look idle, and one of them may
 * already carry the client's next request that the server has not read yet: that request would
 * fail. So a drain only stops listening; every answer from then on says `Connection: close`, idle
 * connections end at their keep-alive timeout, and whatever is still open after DRAIN_TIMEOUT_MS is
 * closed.
 *
 * Under `--instances N` the instance does not listen: the primary accepts (one listening socket,
 * closed first on shutdown, so a connection is either refused or served, never accepted and then
 * reset) and hands each socket over IPC; the primary's drain message comes after every socket it
 * sent, on the same ordered channel.
 */
export function serveGracefully(
  fetch: (request: Request) => Response | Promise<Response>,
  source: ConnectionSource,
): Promise<GracefulServer> {
  const server = createAdaptorServer({ fetch }) as Server;
  let draining = false;
  const open = new Set<Socket>();
  let drained: (() => void) | undefined;
  server.on('connection', (socket: Socket) => {
    open.add(socket);
    socket.once('close', () => {
      open.delete(socket);
      if (open.size === 0) drained?.();
    });
  });
  server.prependListener('request', (_request, response) => {
    if (draining) response.setHeader('Connection', 'close');
  });
  const drain = () =>
    new Promise<void>((resolve) => {
      draining = true;
      if (server.listening) NetServer.prototype.close.call(server);
      const forced = setTimeout(() => server.closeAllConnections(), DRAIN_TIMEOUT_MS).unref();
      drained = () => {
        clearTimeout(forced);
        resolve();
      };
      if (open.size === 0) drained();
    });
  if ('handedOn' in source) {
    process.on('message', (message, socket) => {
      if (message !== CONNECTION_MESSAGE || !socket) return;
      server.emit('connection', socket);
      (socket as Socket).resume();
    });
    return Promise.resolve({ port: source.handedOn, drain });
  }
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(source.listen, source.hostname, () => {
      server.off('error', reject);
      resolve({ port: (server.address() as AddressInfo).port, drain });
    });
  });
}
