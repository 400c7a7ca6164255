import { loadConfig } from './config';
import { serveGracefully } from './http/graceful-server';
import { instancesArgument, onStopSignal, runInstances } from './instances';
import { startRuntimeOrExit } from './runtime';

/**
 * Runs the license API on its own: `tsx server/main.ts [--instances N]`. On SIGTERM (or SIGINT) it
 * stops accepting connections, answers the requests in flight, then closes the database.
 */
const config = loadConfig();
let instances: number;
try {
  instances = instancesArgument(process.argv.slice(2));
  if (instances > 1 && !config.databaseUrl) {
    throw new Error('--instances needs DATABASE_URL: PGlite is one process on one directory');
  }
} catch (error) {
  console.error(`Doppel license server: ${(error as Error).message}.`);
  process.exit(1);
}

await runInstances(instances, config.port, async (source) => {
  const { app, db, retention } = await startRuntimeOrExit(config, 'Doppel license server');
  const server = await serveGracefully(app.fetch, source);
  const database = config.databaseUrl ? 'Postgres (DATABASE_URL)' : `PGlite in ${config.dataDir}`;
  console.log(
    `Doppel license server on http://localhost:${server.port}/api (${database}, pid ${process.pid})`,
  );
  onStopSignal(async () => {
    await server.drain();
    await retention.stop();
    await db.destroy();
  });
});
