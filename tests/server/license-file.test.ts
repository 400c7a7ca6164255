import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bytesToBase64, utf8 } from '../../src/shared/bytes';
import { generateSigningKeyPem, parseSigningKey, publicKeySpkiBase64 } from '../../server/crypto/signing-key';
import { issueLicenseFile } from '../../server/licensing/issue-license-file';
import { armour, deviceFileHash, unarmour } from '../../src/shared/license/license-file-format';
import { signLicenseFile } from '../../server/licensing/sign-license-file';
import { importLicensePublicKey, verifyLicenseFile } from '../../src/shared/license/verify-license-file';

const signingKey = parseSigningKey(generateSigningKeyPem());
const publicKey = await importLicensePublicKey(publicKeySpkiBase64(signingKey));
const deviceId = 'a'.repeat(64);
const now = new Date('2026-11-25T12:00:00Z');
const DAY = 24 * 60 * 60 * 1000;

const issue = (overrides: { now?: Date; endsAt?: Date | null } = {}) =>
  issueLicenseFile(signingKey, {
    licenseId: 'lic-1',
    plan: 'pro',
    deviceId,
    now,
    endsAt: null,
    ...overrides,
  });

function envelopeOf(file: string): { enc: string; sig: string; alg: string } {
  return JSON.parse(atob(unarmour(file)!));
}

function rewrap(envelope: object): string {
  return armour(bytesToBase64(utf8(JSON.stringify(envelope))));
}

describe('license files', () => {
  it('are Keygen-style armoured base64 of {enc, sig, alg} and verify for their device', async () => {
    const file = await issue();
    expect(file.startsWith('-----BEGIN LICENSE FILE-----\n')).toBe(true);
    expect(file.trimEnd().endsWith('-----END LICENSE FILE-----')).toBe(true);
    expect(envelopeOf(file).alg).toBe('base64+ed25519');
    const check = await verifyLicenseFile(file, { publicKey, deviceId, now });
    expect(check).toEqual({
      ok: true,
      license: {
        v: 1,
        licenseId: 'lic-1',
        plan: 'pro',
        entitlements: expect.arrayContaining(['neural-engine', 'video']),
        device: await deviceFileHash(deviceId),
        issued: now.toISOString(),
        expiry: new Date(now.getTime() + 7 * DAY).toISOString(),
      },
    });
  });

  it('never outlive the license or trial they carry', async () => {
    const endsAt = new Date(now.getTime() + 3 * DAY);
    const check = await verifyLicenseFile(await issue({ endsAt }), { publicKey, deviceId, now });
    expect(check.ok && check.license.expiry).toBe(endsAt.toISOString());
  });

  it('are rejected when the payload is altered', async () => {
    const envelope = envelopeOf(await issue());
    const payload = JSON.parse(atob(envelope.enc));
    const enc = bytesToBase64(utf8(JSON.stringify({ ...payload, expiry: '2099-01-01T00:00:00.000Z' })));
    const check = await verifyLicenseFile(rewrap({ ...envelope, enc }), { publicKey, deviceId, now });
    expect(check).toEqual({ ok: false, problem: 'BAD_SIGNATURE' });
  });

  it('are rejected when signed by another key, or with a damaged signature', async () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const forged = await issueLicenseFile(privateKey, {
      licenseId: null,
      plan: 'pro',
      deviceId,
      now,
      endsAt: null,
    });
    expect(await verifyLicenseFile(forged, { publicKey, deviceId, now })).toEqual({
      ok: false,
      problem: 'BAD_SIGNATURE',
    });
    const envelope = envelopeOf(await issue());
    const sig = envelope.sig.startsWith('A') ? `B${envelope.sig.slice(1)}` : `A${envelope.sig.slice(1)}`;
    expect(await verifyLicenseFile(rewrap({ ...envelope, sig }), { publicKey, deviceId, now })).toEqual({
      ok: false,
      problem: 'BAD_SIGNATURE',
    });
  });

  it('are rejected when issued in the future, expired, or for another device', async () => {
    const file = await issue();
    expect(
      await verifyLicenseFile(file, { publicKey, deviceId, now: new Date(now.getTime() - 3600_000) }),
    ).toEqual({ ok: false, problem: 'ISSUED_IN_FUTURE' });
    expect(
      await verifyLicenseFile(file, { publicKey, deviceId, now: new Date(now.getTime() + 31 * DAY) }),
    ).toEqual({
      ok: false,
      problem: 'EXPIRED',
    });
    expect(await verifyLicenseFile(file, { publicKey, deviceId: 'b'.repeat(64), now })).toEqual({
      ok: false,
      problem: 'WRONG_DEVICE',
    });
  });

  it('are rejected when malformed or using another algorithm', async () => {
    const file = await issue();
    for (const bad of ['', 'hello', file.replace('-----END LICENSE FILE-----', ''), rewrap({ enc: 'x' })]) {
      expect(await verifyLicenseFile(bad, { publicKey, deviceId, now })).toEqual({
        ok: false,
        problem: 'MALFORMED',
      });
    }
    const envelope = envelopeOf(file);
    expect(
      await verifyLicenseFile(rewrap({ ...envelope, alg: 'aes-256-gcm+ed25519' }), {
        publicKey,
        deviceId,
        now,
      }),
    ).toEqual({ ok: false, problem: 'UNSUPPORTED_ALG' });
  });

  it('with a valid signature but a payload of the wrong shape are malformed', async () => {
    const file = signLicenseFile(signingKey, {
      v: 1,
      licenseId: null,
      plan: 'pro',
      entitlements: [],
      device: await deviceFileHash(deviceId),
      issued: 'yesterday',
      expiry: now.toISOString(),
    });
    expect(await verifyLicenseFile(file, { publicKey, deviceId, now })).toEqual({
      ok: false,
      problem: 'MALFORMED',
    });
  });
});
