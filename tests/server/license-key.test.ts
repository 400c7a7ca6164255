import { describe, expect, it } from 'vitest';
import { generateLicenseKey, hashLicenseKey, normalizeLicenseKey } from '../../server/licensing/license-key';

describe('license keys', () => {
  it('are eight groups of four Crockford base32 characters (160 random bits)', () => {
    const keys = new Set(Array.from({ length: 200 }, generateLicenseKey));
    expect(keys.size).toBe(200);
    for (const key of keys) expect(key).toMatch(/^([0-9A-HJKMNP-TV-Z]{4}-){7}[0-9A-HJKMNP-TV-Z]{4}$/);
  });

  it('read the same in lower case, without dashes and with look-alike letters', () => {
    const key = generateLicenseKey();
    const canonical = normalizeLicenseKey(key)!;
    expect(normalizeLicenseKey(key.toLowerCase().replace(/-/g, ' '))).toBe(canonical);
    expect(normalizeLicenseKey(key.replace(/0/g, 'O').replace(/1/g, 'l'))).toBe(canonical);
    expect(hashLicenseKey(canonical)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('reject anything that cannot be a key', () => {
    expect(normalizeLicenseKey('')).toBeNull();
    expect(normalizeLicenseKey('ABCD-EFGH')).toBeNull();
    expect(normalizeLicenseKey('U'.repeat(32))).toBeNull();
  });
});
