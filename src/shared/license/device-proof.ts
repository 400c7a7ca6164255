import { base64ToBytes, sha256Hex, utf8 } from '../bytes';

/**
 * A device proves it holds its key by signing `doppel-device-proof:v1:<nonce>` with it, where the
 * nonce comes from `POST /api/nonce` and is single-use. Keys are Ed25519 or ECDSA P-256 (signature
 * in WebCrypto's r||s form), given as a public JWK or as base64 SPKI DER. The device id is the
 * SHA-256 (lowercase hex) of the key's SPKI DER bytes, whichever form it arrived in.
 */
export interface DeviceProof {
  publicKey: PublicJwk | string;
  nonce: string;
  signature: string;
}

/** The public JWK fields the server accepts (OKP Ed25519, or EC P-256 with y). */
export interface PublicJwk {
  kty: 'OKP' | 'EC';
  crv: 'Ed25519' | 'P-256';
  x: string;
  y?: string | undefined;
}

const ED25519 = { name: 'Ed25519' } as const;
const P256 = { name: 'ECDSA', namedCurve: 'P-256' } as const;

/** The bytes a device signs for a nonce. */
export function proofMessage(nonce: string): Uint8Array<ArrayBuffer> {
  return utf8(`doppel-device-proof:v1:${nonce}`);
}

async function importPublicKey(publicKey: PublicJwk | string): Promise<CryptoKey> {
  if (typeof publicKey !== 'string') {
    const algorithm = publicKey.crv === 'Ed25519' ? ED25519 : P256;
    return crypto.subtle.importKey('jwk', { ...publicKey, ext: true }, algorithm, true, ['verify']);
  }
  const spki = base64ToBytes(publicKey);
  try {
    return await crypto.subtle.importKey('spki', spki, ED25519, true, ['verify']);
  } catch {
    return crypto.subtle.importKey('spki', spki, P256, true, ['verify']);
  }
}

/** The device id of a public key: SHA-256, lowercase hex, of its SPKI DER bytes. */
export async function deviceIdOfKey(key: CryptoKey): Promise<string> {
  return sha256Hex(new Uint8Array(await crypto.subtle.exportKey('spki', key)));
}

/** True when the proof's key hashes to `deviceId` and its signature over the nonce is valid. */
export async function verifyDeviceProof(proof: DeviceProof, deviceId: string): Promise<boolean> {
  try {
    const key = await importPublicKey(proof.publicKey);
    if ((await deviceIdOfKey(key)) !== deviceId) return false;
    const algorithm = key.algorithm.name === 'Ed25519' ? ED25519 : { name: 'ECDSA', hash: 'SHA-256' };
    return await crypto.subtle.verify(
      algorithm,
      key,
      base64ToBytes(proof.signature),
      proofMessage(proof.nonce),
    );
  } catch {
    return false;
  }
}
