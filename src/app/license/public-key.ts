import { importLicensePublicKey } from '../../shared/license/verify-license-file';

/** Replaced at build time by scripts/license-public-key-plugin.ts. */
declare const __DOPPEL_LICENSE_PUBLIC_KEY__: string;

/** The license server's Ed25519 public key (base64 SPKI) this build verifies license files with. */
const licensePublicKeySpki: string = __DOPPEL_LICENSE_PUBLIC_KEY__;

let imported: Promise<CryptoKey> | undefined;

/** The bundled key as a WebCrypto key (imported once). */
export function licensePublicKey(): Promise<CryptoKey> {
  imported ??= importLicensePublicKey(licensePublicKeySpki);
  return imported;
}
