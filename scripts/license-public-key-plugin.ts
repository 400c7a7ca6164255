import type { KeyObject } from 'node:crypto';
import type { Plugin } from 'vite';
import { loadConfig } from '../server/config.ts';
import { loadSigningKey, publicKeySpkiBase64 } from '../server/crypto/signing-key.ts';

/** What the app reads: the base64 SPKI of the Ed25519 key that license files are verified with. */
export const licensePublicKeyDefine = '__DOPPEL_LICENSE_PUBLIC_KEY__';

/** Where a build writes the key it bundled, so scripts/lib/preview.ts can tell a build made for another key. */
export const bundledKeyFile = 'license-public-key.txt';

const developmentConfig = (env: NodeJS.ProcessEnv) => loadConfig({ ...env, NODE_ENV: 'development' });

/**
 * The license server's signing key as a development run finds it: DOPPEL_SIGNING_KEY, else the key
 * generated on first use into the data directory (DOPPEL_DATA_DIR, `.data` unless set). Read as
 * in development even during a production build: refusing to run without secrets is the server's job.
 */
export function developmentSigningKey(env: NodeJS.ProcessEnv = process.env): KeyObject {
  return loadSigningKey(developmentConfig(env));
}

/** The public key the app bundles: DOPPEL_LICENSE_PUBLIC_KEY, else the public half of the signing key above. */
export function bundledLicensePublicKey(env: NodeJS.ProcessEnv = process.env): {
  spki: string;
  source: string;
} {
  const fromEnv = env.DOPPEL_LICENSE_PUBLIC_KEY?.trim();
  if (fromEnv) return { spki: fromEnv, source: 'DOPPEL_LICENSE_PUBLIC_KEY' };
  const config = developmentConfig(env);
  const source = config.signingKey ? 'DOPPEL_SIGNING_KEY' : `the development key in ${config.dataDir}`;
  return { spki: publicKeySpkiBase64(loadSigningKey(config)), source };
}

/**
 * Bundles the license public key into the app as `__DOPPEL_LICENSE_PUBLIC_KEY__` and writes it to
 * dist/license-public-key.txt as well. A build on the development key says so (a release should
 * set DOPPEL_LICENSE_PUBLIC_KEY or DOPPEL_SIGNING_KEY).
 */
export function licensePublicKeyPlugin(): Plugin {
  let key: { spki: string; source: string };
  return {
    name: 'doppel-license-public-key',
    config() {
      key = bundledLicensePublicKey();
      return { define: { [licensePublicKeyDefine]: JSON.stringify(key.spki) } };
    },
    configResolved(config) {
      if (config.command === 'build' && !key.source.startsWith('DOPPEL_')) {
        config.logger.warn(`License files are verified with ${key.source}.`);
      }
    },
    generateBundle() {
      if (this.environment && this.environment.name !== 'client') return;
      this.emitFile({ type: 'asset', fileName: bundledKeyFile, source: `${key.spki}\n` });
    },
  };
}
