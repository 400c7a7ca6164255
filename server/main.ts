import { serve } from '@hono/node-server';
import { loadConfig } from './config';
import { startRuntimeOrExit } from './runtime';

/** Runs the license API on its own: `tsx server/main.ts`. */
const config = loadConfig();
const { app, db } = await startRuntimeOrExit(config, 'Doppel license server');
const server = serve({ fetch: app.fetch, port: config.port }, (info) => {
  const database = config.databaseUrl ? 'Postgres (DATABASE_URL)' : `PGlite in ${config.dataDir}`;
  console.log(`Doppel license server on http://localhost:${info.port}/api (${database})`);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.close();
    void db.destroy();
  });
}
