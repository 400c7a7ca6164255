import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { ServerConfig } from '../config';
import { readOrCreateSecret } from './dev-secrets.ts';

/** Parses an Ed25519 private key given as PKCS8 PEM or as base64 of the PKCS8 DER bytes. */
export function parseSigningKey(text: string): KeyObject {
  const trimmed = text.trim();
  const key = trimmed.startsWith('-----BEGIN')
    ? createPrivateKey({ key: trimmed, format: 'pem' })
    : createPrivateKey({ key: Buffer.from(trimmed, 'base64'), format: 'der', type: 'pkcs8' });
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new Error(`DOPPEL_SIGNING_KEY must be an Ed25519 key, not ${key.asymmetricKeyType}.`);
  }
  return key;
}

export function generateSigningKeyPem(): string {
  const { privateKey } = generateKeyPairSync('ed25519');
  return privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
}

/** The key from DOPPEL_SIGNING_KEY, or in development one generated into the data directory. */
export function loadSigningKey(config: ServerConfig): KeyObject {
  if (config.signingKey) return parseSigningKey(config.signingKey);
  return parseSigningKey(readOrCreateSecret(config.dataDir, 'signing-key.pem', generateSigningKeyPem));
}

/** The public half as base64 SPKI DER: what the app bundles to verify license files. */
export function publicKeySpkiBase64(signingKey: KeyObject): string {
  return createPublicKey(signingKey).export({ format: 'der', type: 'spki' }).toString('base64');
}
