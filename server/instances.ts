import cluster, { type Worker } from 'node:cluster';

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

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
 * Runs `instance` in this process, or with count > 1 in that many worker processes (node:cluster)
 * sharing one port, the primary handing out connections in turn. The primary passes SIGINT and
 * SIGTERM to every worker (each drains, then closes its database) and exits once they all have; it
 * replaces a worker that dies while serving, and stops everything if one dies before it listens
 * (bad configuration, database unreachable).
 */
export async function runInstances(count: number, instance: () => Promise<void>): Promise<void> {
  if (count === 1 || cluster.isWorker) {
    await instance();
    if (cluster.isWorker) process.send?.('listening');
    return;
  }
  let stopping = false;
  const alive = new Set<Worker>();
  const fork = () => {
    const worker = cluster.fork();
    alive.add(worker);
    let listening = false;
    worker.on('message', (message) => (listening ||= message === 'listening'));
    worker.on('exit', (code, signal) => onExit(worker, listening, code ?? signal));
  };
  const onExit = (worker: Worker, listening: boolean, how: number | string) => {
    alive.delete(worker);
    if (stopping) {
      if (how !== 0) process.exitCode = 1;
      if (alive.size === 0) process.exit(process.exitCode ?? 0);
      return;
    }
    if (!listening) {
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
    if (alive.size === 0) process.exit(process.exitCode ?? 0);
    for (const worker of alive) worker.process.kill(signal);
  };
  for (const signal of SIGNALS) process.once(signal, () => stop(signal));
  for (let i = 0; i < count; i++) fork();
}

/** Runs `shutdown` once on SIGINT or SIGTERM, then exits (0, or 1 when it failed). */
export function onStopSignal(shutdown: () => Promise<void>): void {
  let started = false;
  for (const signal of SIGNALS) {
    process.on(signal, () => {
      if (started) return;
      started = true;
      shutdown().then(
        () => process.exit(0),
        (error: unknown) => {
          console.error(error);
          process.exit(1);
        },
      );
    });
  }
}
