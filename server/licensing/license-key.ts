import { createHash, randomBytes } from 'node:crypto';

/**
 * License keys: 160 random bits in Crockford base32, shown as eight groups of four
 * (`7KQ2-M9XD-...`). Input is forgiving: case, dashes and spaces are ignored and the look-alikes
 * O, I and L read as 0, 1 and 1. The database keeps only the SHA-256 of the normalised key.
 */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const KEY_BYTES = 20;
const KEY_CHARS = (KEY_BYTES * 8) / 5;

/** A new key from 160 random bits, or from the first 160 bits of `bytes` (keys derived from a secret). */
export function generateLicenseKey(bytes: Uint8Array = randomBytes(KEY_BYTES)): string {
  let bits = 0;
  let value = 0;
  let chars = '';
  for (const byte of bytes.subarray(0, KEY_BYTES)) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      chars += ALPHABET[(value >> bits) & 31];
    }
  }
  return chars.match(/.{4}/g)!.join('-');
}

/** The canonical form of a typed key, or null when it cannot be one of ours. */
export function normalizeLicenseKey(input: string): string | null {
  const key = input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  return key.length === KEY_CHARS && [...key].every((char) => ALPHABET.includes(char)) ? key : null;
}

export function hashLicenseKey(normalizedKey: string): string {
  return createHash('sha256').update(normalizedKey).digest('hex');
}
