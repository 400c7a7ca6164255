import { base64ToBytes } from '../bytes';
import {
  deviceFileHash,
  LICENSE_FILE_ALG,
  licenseEnvelopeSchema,
  licensePayloadSchema,
  signingInput,
  unarmour,
  type LicensePayload,
} from './license-file-format';

/**
 * Offline check of a license file with WebCrypto only (no Node APIs), so the app can use it as is.
 */
export type LicenseFileProblem =
  'MALFORMED' | 'UNSUPPORTED_ALG' | 'BAD_SIGNATURE' | 'ISSUED_IN_FUTURE' | 'EXPIRED' | 'WRONG_DEVICE';

export type LicenseFileCheck =
  { ok: true; license: LicensePayload } | { ok: false; problem: LicenseFileProblem };

export interface VerifyOptions {
  /** The server's public key, from importLicensePublicKey. */
  publicKey: CryptoKey;
  /** This device's id (SHA-256 hex of its public key). */
  deviceId: string;
  now?: Date;
  /** How far the issuing server's clock may run ahead of ours. */
  clockSkewMs?: number;
}

const DEFAULT_CLOCK_SKEW_MS = 5 * 60 * 1000;

/** Imports the server's public key (base64 SPKI DER) for verifyLicenseFile. */
export function importLicensePublicKey(spkiBase64: string): Promise<CryptoKey> {
  return crypto.subtle.importKey('spki', base64ToBytes(spkiBase64), { name: 'Ed25519' }, false, ['verify']);
}

function parseJson(base64: string): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(base64ToBytes(base64)));
  } catch {
    return undefined;
  }
}

/** Checks armour, signature, dates and device of a license file, offline. */
export async function verifyLicenseFile(file: string, options: VerifyOptions): Promise<LicenseFileCheck> {
  const body = unarmour(file);
  const envelope = licenseEnvelopeSchema.safeParse(body === null ? undefined : parseJson(body));
  if (!envelope.success) return { ok: false, problem: 'MALFORMED' };
  const { enc, sig, alg } = envelope.data;
  if (alg !== LICENSE_FILE_ALG) return { ok: false, problem: 'UNSUPPORTED_ALG' };
  let signatureOk = false;
  try {
    signatureOk = await crypto.subtle.verify(
      'Ed25519',
      options.publicKey,
      base64ToBytes(sig),
      signingInput(enc),
    );
  } catch {
    signatureOk = false;
  }
  if (!signatureOk) return { ok: false, problem: 'BAD_SIGNATURE' };
  const payload = licensePayloadSchema.safeParse(parseJson(enc));
  if (!payload.success) return { ok: false, problem: 'MALFORMED' };
  const license = payload.data;
  const now = (options.now ?? new Date()).getTime();
  if (Date.parse(license.issued) > now + (options.clockSkewMs ?? DEFAULT_CLOCK_SKEW_MS)) {
    return { ok: false, problem: 'ISSUED_IN_FUTURE' };
  }
  if (Date.parse(license.expiry) <= now) return { ok: false, problem: 'EXPIRED' };
  if (license.device !== (await deviceFileHash(options.deviceId)))
    return { ok: false, problem: 'WRONG_DEVICE' };
  return { ok: true, license };
}
