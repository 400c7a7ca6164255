import { getRequestListener } from '@hono/node-server';
import { build, preview, type Plugin } from 'vite';
import { loadConfig } from '../server/config';
import { startRuntime } from '../server/runtime';

/**
 * Builds the production app and serves it (with the production headers) on localhost, with the
 * license API on the same origin: `/api/*` and `/.well-known/security.txt` go to the server
 * (server/), on its embedded PGlite database in the data directory unless DATABASE_URL is set.
 */
const port = Number(process.env.PORT ?? 4173);
const config = loadConfig();
const { app, db } = await startRuntime(config);
const api = getRequestListener(app.fetch);
const licenseApi: Plugin = {
  name: 'doppel-license-api',
  configurePreviewServer(server) {
    server.middlewares.use((req, res, next) => {
      if (req.url?.startsWith('/api/') || req.url === '/.well-known/security.txt') void api(req, res);
      else next();
    });
  },
};
if (!process.argv.includes('--no-build')) await build({ logLevel: 'warn' });
const server = await preview({
  preview: { port, host: 'localhost', strictPort: false },
  logLevel: 'warn',
  plugins: [licenseApi],
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
      .then(() => db.destroy())
      .finally(() => process.exit(0));
  });
}
