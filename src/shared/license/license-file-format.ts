import { z } from 'zod';
import { sha256Hex, utf8 } from '../bytes';

/**
 * Keygen-style license files: the payload JSON, base64 (`enc`), signed with Ed25519 over
 * `license/<enc>` (`sig`), wrapped as base64 of `{enc, sig, alg}` between armour lines.
 */
export const BEGIN_LINE = '-----BEGIN LICENSE FILE-----';
export const END_LINE = '-----END LICENSE FILE-----';
export const LICENSE_FILE_ALG = 'base64+ed25519';

export const licensePayloadSchema = z.strictObject({
  v: z.literal(1),
  licenseId: z.string().nullable(),
  plan: z.enum(['trial', 'pro']),
  entitlements: z.array(z.string()),
  /** deviceFileHash(deviceId) of the one device this file is for. */
  device: z.string(),
  issued: z.iso.datetime(),
  expiry: z.iso.datetime(),
});
export type LicensePayload = z.infer<typeof licensePayloadSchema>;

export const licenseEnvelopeSchema = z.strictObject({
  enc: z.string(),
  sig: z.string(),
  alg: z.string(),
});
export type LicenseEnvelope = z.infer<typeof licenseEnvelopeSchema>;

/** The bytes the signature covers: `license/<enc>`. */
export function signingInput(enc: string): Uint8Array<ArrayBuffer> {
  return utf8(`license/${enc}`);
}

/** How a license file names its device: not the device id itself, and not the server's HMAC. */
export function deviceFileHash(deviceId: string): Promise<string> {
  return sha256Hex(utf8(`doppel-license-device:v1:${deviceId}`));
}

/** Wraps the envelope's base64 in 64-column lines between the armour lines. */
export function armour(envelopeBase64: string): string {
  const lines = envelopeBase64.match(/.{1,64}/g) ?? [];
  return [BEGIN_LINE, ...lines, END_LINE, ''].join('\n');
}

/** The base64 between the armour lines, or null when the armour is missing. */
export function unarmour(file: string): string | null {
  const text = file.trim();
  if (!text.startsWith(BEGIN_LINE) || !text.endsWith(END_LINE)) return null;
  return text.slice(BEGIN_LINE.length, text.length - END_LINE.length).replace(/\s/g, '');
}
