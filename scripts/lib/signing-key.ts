import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Where a build without DOPPEL_SIGNING_KEY keeps its development key (gitignored). */
export const devKeyPath = '.keys/dev-signing-key.pem';

export interface SigningKey {
  privateKey: KeyObject;
  /** Raw 32-byte Ed25519 public key. */
  publicKey: Uint8Array<ArrayBuffer>;
  source: 'env' | 'dev';
  /** For the log line: the env variable or the dev key file. */
  origin: string;
}

/** The raw 32 bytes of an Ed25519 public key (from its JWK `x`). */
export function rawPublicKey(key: KeyObject): Uint8Array<ArrayBuffer> {
  const { x } = createPublicKey(key).export({ format: 'jwk' });
  if (!x) throw new Error('not an Ed25519 key');
  return new Uint8Array(Buffer.from(x, 'base64url'));
}

/** Reads an Ed25519 private key given as PKCS#8 PEM or as base64 of PKCS#8 DER. */
export function parsePrivateKey(text: string): KeyObject {
  const trimmed = text.trim();
  const key = trimmed.includes('-----BEGIN')
    ? createPrivateKey(trimmed)
    : createPrivateKey({ key: Buffer.from(trimmed, 'base64'), format: 'der', type: 'pkcs8' });
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new Error(`the signing key is ${key.asymmetricKeyType ?? 'unknown'}, not Ed25519`);
  }
  return key;
}

/**
 * The build's signing key: DOPPEL_SIGNING_KEY when set; otherwise the development key in
 * `<root>/.keys/dev-signing-key.pem`, generated on first use and reused afterwards.
 */
export function loadSigningKey(root: string, env: NodeJS.ProcessEnv = process.env): SigningKey {
  const fromEnv = env.DOPPEL_SIGNING_KEY;
  if (fromEnv && fromEnv.trim() !== '') {
    let privateKey: KeyObject;
    try {
      privateKey = parsePrivateKey(fromEnv);
    } catch (error) {
      throw new Error(
        `DOPPEL_SIGNING_KEY is not an Ed25519 private key (PKCS#8 PEM or base64 DER): ${(error as Error).message}`,
      );
    }
    return { privateKey, publicKey: rawPublicKey(privateKey), source: 'env', origin: 'DOPPEL_SIGNING_KEY' };
  }
  const path = join(root, devKeyPath);
  let privateKey: KeyObject;
  if (existsSync(path)) {
    privateKey = parsePrivateKey(readFileSync(path, 'utf8'));
  } else {
    privateKey = generateKeyPairSync('ed25519').privateKey;
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    writeFileSync(path, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600, flag: 'wx' });
  }
  return { privateKey, publicKey: rawPublicKey(privateKey), source: 'dev', origin: devKeyPath };
}
