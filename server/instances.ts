import cluster, { type Worker } from 'node:cluster';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { CONNECTION_MESSAGE, type ConnectionSource } from './http/graceful-server';

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;
/** The IPC message with which the primary tells an instance to drain, after the last socket it sent. */
const DRAIN_MESSAGE = 'doppel:drain';
/** How an instance learns the port its primary listens on. */
const PRIMARY_PORT = 'DOPPEL_PRIMARY_PORT';

/** The `--instances N` argument (1 when absent); throws on anything but a whole number from 1 to 64. */
export function instancesArgument(args: string[]): number {
  const at = args.indexOf('--instances');
  if (at === -1) return 1;
  const value = args[at + 1] ?? '';
  const count = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(count >= 1 && count <= 64))
    throw new Error(`--instances must be a whole number from 1 to 64, not "${value}"`);
  return count;
}

/**
 * Runs `instance` in this process (listening on `port` itself), or with count > 1 in that many
 * worker processes (node:cluster). Then the primary listens on `port`, accepts each connection
 * without reading it, and hands it to the instances in turn over IPC. On SIGINT or SIGTERM the
 * primary first stops listening (later connections are refused), then tells every instance to
 * drain (each answers what it holds, then closes its database) and exits once they all have. It
 * replaces an instance that dies while serving, and stops everything if one dies before it is ready
 * (bad configuration, database unreachable).
 */
export async function runInstances(
  count: number,
  port: number,
  instance: (source: ConnectionSource) => Promise<void>,
): Promise<void> {
  if (cluster.isWorker) {
    await instance({ handedOn: Number(process.env[PRIMARY_PORT]) });
    process.send?.('listening');
    return;
  }
  if (count === 1) return instance({ listen: port });

  const listener = createServer({ pauseOnConnect: true });
  await new Promise<void>((resolve, reject) => {
    listener.once('error', reject);
    listener.listen(port, () => resolve());
  });
  const env = { [PRIMARY_PORT]: String((listener.address() as AddressInfo).port) };
  let stopping = false;
  const alive = new Set<Worker>();
  const ready: Worker[] = [];
  const waiting: Socket[] = [];
  let turn = 0;
  const hand = (socket: Socket) => {
    const worker = ready[turn++ % ready.length];
    if (worker) worker.send(CONNECTION_MESSAGE, socket, (error: Error | null) => error && socket.destroy());
    else waiting.push(socket);
  };
  listener.on('connection', hand);

  const fork = () => {
    const worker = cluster.fork(env);
    alive.add(worker);
    worker.on('message', (message) => {
      if (message !== 'listening' || stopping) return;
      ready.push(worker);
      waiting.splice(0).forEach(hand);
    });
    worker.on('exit', (code, signal) => onExit(worker, code ?? signal));
  };
  const onExit = (worker: Worker, how: number | string) => {
    const wasReady = ready.includes(worker);
    alive.delete(worker);
    if (wasReady) ready.splice(ready.indexOf(worker), 1);
    if (stopping) {
      if (how !== 0) process.exitCode = 1;
      if (alive.size === 0) process.exit(process.exitCode ?? 0);
      return;
    }
    if (!wasReady) {
      console.error(`Doppel license server: instance ${worker.process.pid} stopped while starting (${how}).`);
      process.exitCode = 1;
      stop('SIGTERM');
      return;
    }
    console.error(`Doppel license server: instance ${worker.process.pid} died (${how}); starting another.`);
    fork();
  };
  const stop = (signal: NodeJS.Signals) => {
    stopping = true;
    listener.close();
    waiting.splice(0).forEach((socket) => socket.destroy());
    if (alive.size === 0) process.exit(process.exitCode ?? 0);
    for (const worker of alive) {
      if (ready.includes(worker)) worker.send(DRAIN_MESSAGE);
      else worker.process.kill(signal);
    }
  };
  for (const signal of SIGNALS) process.once(signal, () => stop(signal));
  for (let i = 0; i < count; i++) fork();
}

/**
 * Runs `shutdown` once on SIGINT or SIGTERM, or on its primary's drain message, then exits (0, or 1
 * when it failed).
 */
export function onStopSignal(shutdown: () => Promise<void>): void {
  let started = false;
  const stop = () => {
    if (started) return;
    started = true;
    shutdown().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  for (const signal of SIGNALS) process.on(signal, stop);
  process.on('message', (message) => message === DRAIN_MESSAGE && stop());
}
