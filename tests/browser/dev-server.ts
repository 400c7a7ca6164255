import { createServer, type ViteDevServer } from 'vite';

/** A Vite dev server over the source tree, for tests that import src/ modules directly in the page. */
export async function startDevServer(): Promise<{ server: ViteDevServer; url: string }> {
  const server = await createServer({
    configFile: 'vite.config.ts',
    logLevel: 'error',
    // No hot reload: an edit elsewhere in the tree must not navigate a page mid-test.
    server: { port: 0, host: '127.0.0.1', hmr: false, watch: null },
  });
  await server.listen();
  const address = server.httpServer?.address();
  if (!address || typeof address === 'string') throw new Error('dev server has no port');
  return { server, url: `http://127.0.0.1:${address.port}` };
}
