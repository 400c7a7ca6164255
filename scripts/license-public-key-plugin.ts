import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import type { Plugin } from 'vite';
import { loadConfig } from '../server/config.ts';
import { loadSigningKey, publicKeySpkiBase64 } from '../server/crypto/signing-key.ts';

/** What the app reads (declared under this name in src/app/license/public-key.ts). */
const licensePublicKeyDefine = '__DOPPEL_LICENSE_PUBLIC_KEY__';

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

function parsesAsPrivateKey(text: string, der: Buffer): boolean {
  try {
    createPrivateKey(text.startsWith('-----BEGIN') ? text : { key: der, format: 'der', type: 'pkcs8' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Reads DOPPEL_LICENSE_PUBLIC_KEY (base64 SPKI DER, or PEM) as an Ed25519 public key and returns it
 * as base64 SPKI. Throws on a private key, so one pasted by mistake never reaches the bundle.
 */
export function parseLicensePublicKey(text: string): string {
  const der = Buffer.from(text, 'base64');
  if (parsesAsPrivateKey(text, der)) {
    throw new Error(
      'DOPPEL_LICENSE_PUBLIC_KEY holds a private key, which must never be bundled into the app. Set it to the public half (base64 SPKI or PEM "PUBLIC KEY").',
    );
  }
  let key: KeyObject;
  try {
    key = text.startsWith('-----BEGIN')
      ? createPublicKey({ key: text, format: 'pem' })
      : createPublicKey({ key: der, format: 'der', type: 'spki' });
  } catch (error) {
    throw new Error(
      `DOPPEL_LICENSE_PUBLIC_KEY is not a public key (base64 SPKI DER, or PEM "PUBLIC KEY"): ${String(error)}`,
    );
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new Error(`DOPPEL_LICENSE_PUBLIC_KEY must be an Ed25519 key, not ${key.asymmetricKeyType}.`);
  }
  return key.export({ format: 'der', type: 'spki' }).toString('base64');
}

/** The public key the app bundles: DOPPEL_LICENSE_PUBLIC_KEY, else the public half of the signing key above. */
export function bundledLicensePublicKey(env: NodeJS.ProcessEnv = process.env): {
  spki: string;
  source: string;
} {
  const fromEnv = env.DOPPEL_LICENSE_PUBLIC_KEY?.trim();
  if (fromEnv) return { spki: parseLicensePublicKey(fromEnv), source: 'DOPPEL_LICENSE_PUBLIC_KEY' };
  const config = developmentConfig(env);
  const source = config.signingKey ? 'DOPPEL_SIGNING_KEY' : `the development key in ${config.dataDir}`;
  return { spki: publicKeySpkiBase64(loadSigningKey(config)), source };
}

/**
 * Bundles the license public key into the app as `__DOPPEL_LICENSE_PUBLIC_KEY__` and writes it to
 * dist/license-public-key.txt as well. A build on the development key (what `npm start` and the test
 * preview want) warns loudly: a release must set DOPPEL_LICENSE_PUBLIC_KEY or DOPPEL_SIGNING_KEY.
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
        config.logger.warn(
          [
            `WARNING: this build verifies license files with ${key.source}.`,
            'It accepts only licenses from a server on this machine (npm start, the tests), never from the production server.',
            'For a release, set DOPPEL_LICENSE_PUBLIC_KEY (or DOPPEL_SIGNING_KEY) to the production key and build again.',
          ].join('\n'),
        );
      }
    },
    generateBundle() {
      if (this.environment && this.environment.name !== 'client') return;
      this.emitFile({ type: 'asset', fileName: bundledKeyFile, source: `${key.spki}\n` });
    },
  };
}
