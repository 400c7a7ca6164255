import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Plugin, ResolvedConfig } from 'vite';
import { buildManifestPath, fingerprint } from '../src/shared/build-manifest.ts';
import { bytesToBase64 } from '../src/shared/bytes.ts';
import { writeBuildManifest } from './lib/build-manifest.ts';
import { loadSigningKey } from './lib/signing-key.ts';

/** Build time for the manifest: SOURCE_DATE_EPOCH (reproducible builds) or now. */
function buildTime(): Date {
  const epoch = Number(process.env.SOURCE_DATE_EPOCH);
  return Number.isFinite(epoch) && epoch > 0 ? new Date(epoch * 1000) : new Date();
}

/**
 * After the client build has written everything (including other plugins' closeBundle output,
 * e.g. the service worker), lists every file in outDir with its SHA-256 and signs the list:
 * dist/build-manifest.json. Key: DOPPEL_SIGNING_KEY, else a local development key.
 */
export function buildManifestPlugin(): Plugin {
  let config: ResolvedConfig;
  return {
    name: 'doppel-build-manifest',
    apply: 'build',
    enforce: 'post',
    configResolved(resolved) {
      config = resolved;
    },
    closeBundle: {
      order: 'post',
      sequential: true,
      async handler(error?: Error) {
        if (error || config.build.ssr || !config.build.write) return;
        if (this.environment && this.environment.name !== 'client') return;
        const outDir = resolve(config.root, config.build.outDir);
        const key = loadSigningKey(config.root);
        const { version } = JSON.parse(readFileSync(join(config.root, 'package.json'), 'utf8')) as {
          version: string;
        };
        const manifest = writeBuildManifest(outDir, key, version, buildTime());
        const which = key.source === 'env' ? 'DOPPEL_SIGNING_KEY' : `the development key (${key.origin})`;
        const line = `${buildManifestPath}: ${manifest.files.length} files signed with ${which}, public key ${bytesToBase64(key.publicKey)} (${await fingerprint(key.publicKey)})`;
        // A development key is worth a warning (shown at --logLevel warn); a release key is news.
        if (key.source === 'dev') config.logger.warn(line);
        else config.logger.info(line);
      },
    },
  };
}
