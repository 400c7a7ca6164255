/**
 * The license server under load, in its own process so the load generator does not share its event
 * loop: `tsx bench/server/target.ts <pglite-dir | postgres-url> <licenses>`. Opens the database,
 * creates the licenses, serves the API on a free loopback port and prints one JSON line
 * {port, keys}; exits when stdin closes.
 */
import { randomBytes } from 'node:crypto';
import { serve } from '@hono/node-server';
import { createApp } from '../../server/app';
import { generateSigningKeyPem, parseSigningKey } from '../../server/crypto/signing-key';
import { openDatabase } from '../../server/db/database';
import { createLicense } from '../../server/store/licenses';

const [where = '', count = '0'] = process.argv.slice(2);
const db = await openDatabase(/^postgres(ql)?:/.test(where) ? { url: where } : { pgliteDir: where });
const app = createApp({
  db,
  signingKey: parseSigningKey(generateSigningKeyPem()),
  pepper: randomBytes(32),
  config: {
    trustProxy: false,
    appOrigins: [],
    securityContact: 'mailto:security@example.com',
    // The benchmark measures the server, not its rate limits.
    limits: { perIp: 1e9, perKey: 1e9, windowSeconds: 60 },
  },
  now: () => new Date(),
  stripe: null,
});
const keys: string[] = [];
for (let i = 0; i < Number(count); i++) {
  keys.push((await createLicense(db, { plan: 'pro', email: `bench${i}@example.com`, expiresAt: null })).key);
}
const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
  process.stdout.write(`${JSON.stringify({ port: info.port, keys })}\n`);
});
process.stdin.resume();
process.stdin.on('end', () => {
  server.close();
  void db.destroy().finally(() => process.exit(0));
});
