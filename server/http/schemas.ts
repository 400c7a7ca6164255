import { z } from 'zod';
import { normalizeLicenseKey } from '../licensing/license-key';

/** Request bodies. Every object is strict: unknown keys are rejected. */
const base64 = z
  .string()
  .max(512)
  .regex(/^[A-Za-z0-9+/_-]+={0,2}$/, 'expected base64');

export const deviceId = z
  .string()
  .regex(/^[0-9a-f]{64}$/, 'expected the SHA-256 of the device key, lowercase hex');

export const licenseKey = z
  .string()
  .max(64)
  .transform((key, ctx) => {
    const normalized = normalizeLicenseKey(key);
    if (normalized === null) {
      ctx.addIssue({ code: 'custom', message: 'this is not a Doppel license key' });
      return z.NEVER;
    }
    return normalized;
  });

const publicJwk = z.union([
  z.strictObject({ kty: z.literal('OKP'), crv: z.literal('Ed25519'), x: base64 }),
  z.strictObject({ kty: z.literal('EC'), crv: z.literal('P-256'), x: base64, y: base64 }),
]);

export const proof = z.strictObject({
  publicKey: z.union([publicJwk, base64]),
  nonce: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'expected a nonce from POST /api/nonce'),
  signature: base64,
});

export const trialRequest = z.strictObject({ deviceId, proof });

export const activationRequest = z.strictObject({
  key: licenseKey,
  deviceId,
  label: z.string().min(1).max(120),
  appVersion: z.string().min(1).max(40),
  proof,
});

export const deviceKeyRequest = z.strictObject({ key: licenseKey, deviceId });

/** Deactivation with the device's proof is free; without it, it counts as a takeover. */
export const deactivationRequest = z.strictObject({ key: licenseKey, deviceId, proof: proof.optional() });
