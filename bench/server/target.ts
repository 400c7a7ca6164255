/**
 * The license server under load, in its own process(es) so the load generator does not share their
 * event loops: `tsx bench/server/target.ts <pglite-dir | postgres-url> <licenses> [instances]`.
 * Creates the licenses, then serves the API on a free loopback port, itself or (instances > 1,
 * PostgreSQL only) from that many node:cluster workers sharing the port, and prints one JSON line
 * {port, keys}; stops (each instance draining) when stdin closes.
 */
import cluster from 'node:cluster';
import { randomBytes } from 'node:crypto';
import { createApp } from '../../server/app';
import { generateSigningKeyPem, parseSigningKey } from '../../server/crypto/signing-key';
import { openDatabase, type DatabaseTarget } from '../../server/db/database';
import { serveGracefully } from '../../server/http/graceful-server';
import { createLicense } from '../../server/store/licenses';

const [where = '', count = '0', instanceArg = '1'] = process.argv.slice(2);
const instances = Number(instanceArg);
const target: DatabaseTarget = /^postgres(ql)?:/.test(where) ? { url: where } : { pgliteDir: where };
if (instances > 1 && !('url' in target)) throw new Error('more than one instance needs PostgreSQL');

/** One instance: the app on the database, listening on loopback. The secrets come from the primary. */
async function serveInstance(secrets: { signingKeyPem: string; pepper: string }) {
  const db = await openDatabase(target);
  const app = createApp({
    db,
    signingKey: parseSigningKey(secrets.signingKeyPem),
    pepper: Buffer.from(secrets.pepper, 'base64'),
    config: {
      trustedProxies: 0,
      appOrigins: [],
      securityContact: 'mailto:security@example.com',
      securityTxtExpires: null,
      // The benchmark measures the server, not its rate limits (they are still counted).
      limits: { perIp: 1e9, perKey: 1e9, windowSeconds: 60, trialsPerBlock: 1e9 },
    },
    now: () => new Date(),
    stripe: null,
  });
  const server = await serveGracefully(app.fetch, { listen: 0, hostname: '127.0.0.1' });
  return {
    port: server.port,
    stop: async () => {
      await server.drain();
      await db.destroy();
    },
  };
}

if (cluster.isWorker) {
  const instance = await serveInstance(JSON.parse(process.env.BENCH_SECRETS!));
  process.send!({ port: instance.port });
  process.once('SIGTERM', () => void instance.stop().then(() => process.exit(0)));
} else {
  const secrets = { signingKeyPem: generateSigningKeyPem(), pepper: randomBytes(32).toString('base64') };
  const db = await openDatabase(target);
  const keys: string[] = [];
  for (let i = 0; i < Number(count); i++) {
    keys.push(
      (await createLicense(db, { plan: 'pro', email: `bench${i}@example.com`, expiresAt: null })).key,
    );
  }
  let stop: () => Promise<void>;
  let port: number;
  if (instances > 1) {
    await db.destroy();
    const workers = Array.from({ length: instances }, () =>
      cluster.fork({ BENCH_SECRETS: JSON.stringify(secrets) }),
    );
    const ports = await Promise.all(
      workers.map(
        (worker) =>
          new Promise<number>((resolve) => worker.once('message', (m: { port: number }) => resolve(m.port))),
      ),
    );
    if (new Set(ports).size !== 1)
      throw new Error(`instances listen on different ports: ${ports.join(', ')}`);
    port = ports[0]!;
    stop = () =>
      Promise.all(
        workers.map(
          (worker) =>
            new Promise<void>((resolve) => (worker.once('exit', () => resolve()), worker.kill('SIGTERM'))),
        ),
      ).then(() => undefined);
  } else {
    await db.destroy();
    const instance = await serveInstance(secrets);
    port = instance.port;
    stop = instance.stop;
  }
  process.stdout.write(`${JSON.stringify({ port, keys })}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => void stop().finally(() => process.exit(0)));
}
