import { existsSync, readFileSync } from 'node:fs';
import { build, preview } from 'vite';
import { loadConfig } from '../server/config';
import { loadSigningKey, publicKeySpkiBase64 } from '../server/crypto/signing-key';
import { startRuntimeOrExit } from '../server/runtime';
import { bundledKeyFile } from './license-public-key-plugin';
import { licenseApiPlugin } from './lib/license-api';

/**
 * Builds the production app and serves it (with the production headers) on localhost, with the
 * license API on the same origin: `/api/*` goes to the server (server/), on its embedded PGlite
 * database in the data directory unless DATABASE_URL is set.
 */
const port = Number(process.env.PORT ?? 4173);
const config = loadConfig();
const { app, db, retention } = await startRuntimeOrExit(config, 'npm start');
// Rolldown's plugin-timing report says which build plugins were slow: worth reading when working on
// the build, noise for someone starting the app (it depends on how busy the machine is).
const quietBuild = {
  logLevel: 'warn',
  build: { rolldownOptions: { checks: { bundlerTimings: false } } },
} as const;
if (!process.argv.includes('--no-build')) await build(quietBuild);
const bundledKey = `dist/${bundledKeyFile}`;
const bundled = existsSync(bundledKey) ? readFileSync(bundledKey, 'utf8').trim() : null;
if (bundled !== publicKeySpkiBase64(loadSigningKey(config))) {
  console.warn(
    `${bundledKey} is not this server's license public key: the app will reject the licenses it issues. Build again (npm start without --no-build).`,
  );
}
const server = await preview({
  preview: { port, host: 'localhost', strictPort: false },
  logLevel: 'warn',
  plugins: [licenseApiPlugin(app.fetch)],
});
const address = server.httpServer.address();
const actual = address && typeof address === 'object' ? address.port : port;
const database = config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `PGlite in ${config.dataDir}`;
console.log(
  `Doppel is running at http://localhost:${actual}/  (license API on /api, ${database}; Ctrl+C to stop)`,
);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void server
      .close()
      .then(() => retention.stop())
      .then(() => db.destroy())
      .finally(() => process.exit(0));
  });
}
