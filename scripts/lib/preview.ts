import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { build, preview, type PreviewServer } from 'vite';
import { securityHeaders } from '../../vite.config';
import { bundledKeyFile, bundledLicensePublicKey } from '../license-public-key-plugin';
import { harnessDir, harnessPreviewPlugin } from '../test-harness';
import { extraModelsPlugin } from './extra-models';
import { licenseApiPlugin, previewLicenseApi, type PreviewLicenseApi } from './license-api';

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
  'scripts/license-public-key-plugin.ts',
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

/** The license public key dist/ bundled, or null when it was built without one. */
function builtLicenseKey(): string | null {
  const path = join('dist', bundledKeyFile);
  return existsSync(path) ? readFileSync(path, 'utf8').trim() : null;
}

/**
 * True when dist/ is missing, older than any source the build reads, or bundles another license
 * public key than the one the preview's license API signs with (a new data directory, another env).
 */
function buildIsStale(): boolean {
  const built = ['dist/index.html', 'dist/build-manifest.json', join(harnessDir, 'automation.html')];
  if (!built.every((path) => existsSync(path))) return true;
  if (builtLicenseKey() !== bundledLicensePublicKey().spki) return true;
  const builtAt = statSync('dist/index.html').mtimeMs;
  return inputs.some((p) => existsSync(p) && newestMtime(p) > builtAt);
}

/** A preview of the production build, with the license API on its origin. */
export interface Preview {
  server: PreviewServer;
  url: string;
  /** The license API's database (in memory) and pepper: for tests to issue keys. */
  license: Pick<PreviewLicenseApi, 'database' | 'pepper'>;
}

/**
 * Serves the production build (rebuilding it first when it is missing or stale) on a free localhost
 * port, with the license API (scripts/lib/license-api.ts) on the same origin and the test harness
 * (automation.html, built beside dist/: scripts/test-harness.ts) for the CLI, benchmarks and tests.
 * Closing the server closes the API's database.
 */
export async function startPreview(): Promise<Preview> {
  // First, so that a license key mismatch fails before the build.
  const api = previewLicenseApi();
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
    plugins: [harnessPreviewPlugin(securityHeaders), extraModelsPlugin(), licenseApiPlugin(api.fetch)],
  });
  server.httpServer.once('close', () => void api.close());
  const address = server.httpServer.address();
  if (!address || typeof address === 'string') throw new Error('preview server has no port');
  return { server, url: `http://127.0.0.1:${address.port}`, license: api };
}
