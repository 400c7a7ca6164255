/**
 * The per-install signing credential: an ECDSA P-256 key pair made with WebCrypto, and a
 * certificate chain made on the device with @peculiar/x509 (MIT). It is self-issued: a root
 * certificate for this install signs the signing certificate, and no outside authority vouches for
 * either, so C2PA readers show the signature as valid but the signer as untrusted.
 *
 * - Root: "Doppel self-issued root", a CA (basicConstraints cA, path length 0; keyCertSign, cRLSign),
 *   valid 10 years. Its private key signs the signing certificate once and is then dropped.
 * - Signing certificate: "Doppel Content Credentials (self-issued)", not a CA, keyUsage
 *   digitalSignature (critical), extendedKeyUsage emailProtection and documentSigning (what the C2PA
 *   certificate profile accepts), subject and authority key identifiers, valid 5 years.
 *
 * The names hold no user, device or license data; the serial numbers are random.
 */

import { installReflectMetadata } from './reflect-metadata';

export interface InstallCredential {
  /** The non-extractable private key that signs manifests. */
  privateKey: CryptoKey;
  /** DER certificates: the signing certificate first, then the root. */
  chain: ArrayBuffer[];
  /** When the signing certificate expires (ms since 1970): a new credential is made before then. */
  notAfter: number;
}

const ecdsa = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const day = 24 * 60 * 60 * 1000;
const year = 365 * day;
/** The documentSigning extended key usage (RFC 9336). */
const documentSigning = '1.3.6.1.5.5.7.3.36';

function serialNumber(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0] ?? 0) & 0x7f; // a positive INTEGER
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Makes a new signing key and its self-issued certificate chain. */
export async function makeInstallCredential(now = Date.now()): Promise<InstallCredential> {
  installReflectMetadata();
  const x509 = await import('@peculiar/x509');
  const generate = () => crypto.subtle.generateKey(ecdsa, false, ['sign', 'verify']);
  const rootKeys = await generate();
  const signingKeys = await generate();
  // An hour's slack for clocks that run a little behind the one that made the certificate.
  const notBefore = new Date(now - 60 * 60 * 1000);
  const rootName = 'CN=Doppel self-issued root, O=Doppel';
  const root = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    name: rootName,
    notBefore,
    notAfter: new Date(now + 10 * year),
    signingAlgorithm: ecdsa,
    keys: rootKeys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(rootKeys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(rootKeys.publicKey),
    ],
  });
  const notAfter = new Date(now + 5 * year);
  const signing = await x509.X509CertificateGenerator.create({
    serialNumber: serialNumber(),
    subject: 'CN=Doppel Content Credentials (self-issued), O=Doppel',
    issuer: rootName,
    notBefore,
    notAfter,
    signingAlgorithm: ecdsa,
    publicKey: signingKeys.publicKey,
    signingKey: rootKeys.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.emailProtection, documentSigning]),
      await x509.SubjectKeyIdentifierExtension.create(signingKeys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(rootKeys.publicKey),
    ],
  });
  return {
    privateKey: signingKeys.privateKey,
    chain: [signing.rawData, root.rawData],
    notAfter: notAfter.getTime(),
  };
}

/** Whether `credential` still has a month to run at `now`. */
export function stillValid(credential: InstallCredential, now = Date.now()): boolean {
  return credential.notAfter - now > 30 * day;
}
