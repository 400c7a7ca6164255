import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { build, preview, type PreviewServer } from 'vite';
import { extraModelsPlugin } from './extra-models';

const inputs = [
  'src',
  'sw',
  'public/manifest.webmanifest',
  'public/icons',
  'scripts/pwa.ts',
  'scripts/pwa-icons.ts',
  'index.html',
  'automation.html',
  'verify.html',
  'vite.config.ts',
  'package-lock.json',
];

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return readdirSync(path).reduce(
    (newest, name) => Math.max(newest, newestMtime(join(path, name))),
    stat.mtimeMs,
  );
}

/** True when dist/ is missing or older than any source the build reads. */
function buildIsStale(): boolean {
  if (!existsSync('dist/index.html') || !existsSync('dist/build-manifest.json')) return true;
  const built = statSync('dist/index.html').mtimeMs;
  return inputs.some((p) => existsSync(p) && newestMtime(p) > built);
}

/** Serves the production build (rebuilding it first when it is missing or stale) on a free localhost port. */
export async function startPreview(): Promise<{ server: PreviewServer; url: string }> {
  if (buildIsStale()) {
    // Test runners set NODE_ENV=test, which would make Vite build a development bundle.
    const nodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await build({ logLevel: 'warn', mode: 'production' });
    } finally {
      process.env.NODE_ENV = nodeEnv;
    }
  }
  const server = await preview({
    preview: { port: 0, host: '127.0.0.1' },
    logLevel: 'silent',
    plugins: [extraModelsPlugin()],
  });
  const address = server.httpServer.address();
  if (!address || typeof address === 'string') throw new Error('preview server has no port');
  return { server, url: `http://127.0.0.1:${address.port}` };
}
