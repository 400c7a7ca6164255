import { existsSync } from 'node:fs';
import { build, preview, type PreviewServer } from 'vite';

/** Serves the production build (building it first when dist/ is missing) on a free localhost port. */
export async function startPreview(
  options: { rebuild?: boolean } = {},
): Promise<{ server: PreviewServer; url: string }> {
  if (options.rebuild || !existsSync('dist/index.html')) await build({ logLevel: 'warn' });
  const server = await preview({ preview: { port: 0, host: '127.0.0.1' }, logLevel: 'silent' });
  const address = server.httpServer.address();
  if (!address || typeof address === 'string') throw new Error('preview server has no port');
  return { server, url: `http://127.0.0.1:${address.port}` };
}
