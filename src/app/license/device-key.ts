import { DoppelError } from '../../shared/errors';
import {
  deviceIdOfKey,
  proofMessage,
  type DeviceProof,
  type PublicJwk,
} from '../../shared/license/device-proof';
import { bytesToBase64 } from '../../shared/bytes';
import { keepDeviceKeys, readDeviceKeys } from './license-db';

/** This browser as the license server knows it: an id, and proofs that it holds the id's key. */
export interface Device {
  /** SHA-256 (lowercase hex) of the public key's SPKI bytes. */
  id: string;
  /** Signs a nonce from POST /api/nonce the way the server verifies it (src/shared/license/device-proof.ts). */
  prove(nonce: string): Promise<DeviceProof>;
}

const ED25519 = { name: 'Ed25519' } as const;
const P256 = { name: 'ECDSA', namedCurve: 'P-256' } as const;

/** A new non-extractable key pair: Ed25519, or ECDSA P-256 where this browser lacks Ed25519. */
async function generateKeys(): Promise<CryptoKeyPair> {
  try {
    return (await crypto.subtle.generateKey(ED25519, false, ['sign', 'verify'])) as CryptoKeyPair;
  } catch {
    return crypto.subtle.generateKey(P256, false, ['sign', 'verify']);
  }
}

async function publicJwk(key: CryptoKey): Promise<PublicJwk> {
  const { kty, crv, x, y } = await crypto.subtle.exportKey('jwk', key);
  if (!x) throw new Error('the public key has no x coordinate');
  return kty === 'OKP' && crv === 'Ed25519' ? { kty, crv, x } : { kty: 'EC', crv: 'P-256', x, y };
}

async function loadDevice(): Promise<Device> {
  const keys = (await readDeviceKeys()) ?? (await keepDeviceKeys(await generateKeys()));
  const id = await deviceIdOfKey(keys.publicKey);
  const publicKey = await publicJwk(keys.publicKey);
  const algorithm =
    keys.privateKey.algorithm.name === 'Ed25519' ? ED25519 : { name: 'ECDSA', hash: 'SHA-256' };
  return {
    id,
    async prove(nonce) {
      const signature = await crypto.subtle.sign(algorithm, keys.privateKey, proofMessage(nonce));
      return { publicKey, nonce, signature: bytesToBase64(new Uint8Array(signature)) };
    },
  };
}

let device: Promise<Device> | undefined;

/** This browser's device key, made and stored in IndexedDB on first use. */
export function thisDevice(): Promise<Device> {
  device ??= loadDevice().catch((error: unknown) => {
    device = undefined;
    throw new DoppelError('DEVICE_KEY_UNAVAILABLE', undefined, { cause: String(error) });
  });
  return device;
}
