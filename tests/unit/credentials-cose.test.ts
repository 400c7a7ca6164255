import { X509Certificate, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { coseSign1, encodeCbor } from '../../src/shared/credentials/cose-sign1';
import { makeInstallCredential } from '../../src/shared/credentials/install-certificate';

/**
 * The self-issued certificate chain and the COSE_Sign1 that c2pa-web embeds, checked with Node's
 * own X.509 and ECDSA code (independent of @peculiar/x509 and of our CBOR writer's signing path).
 */

const credential = await makeInstallCredential(Date.UTC(2026, 0, 1));
const [leafDer, rootDer] = credential.chain.map((der) => new X509Certificate(Buffer.from(der)));
const sign = async (data: Uint8Array<ArrayBuffer>) =>
  new Uint8Array(await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, credential.privateKey, data));

describe('the install certificate chain', () => {
  it('is a signing certificate issued by the install root, with the C2PA signer profile', () => {
    const leaf = leafDer!;
    const root = rootDer!;
    expect(leaf.checkIssued(root)).toBe(true);
    expect(leaf.verify(root.publicKey)).toBe(true);
    expect(root.verify(root.publicKey)).toBe(true);
    expect(leaf.ca).toBe(false);
    expect(root.ca).toBe(true);
    expect(leaf.subject).toBe('CN=Doppel Content Credentials (self-issued)\nO=Doppel');
    expect(leaf.issuer).toBe('CN=Doppel self-issued root\nO=Doppel');
    // Node names the extended key usages keyUsage: emailProtection and documentSigning.
    expect(leaf.keyUsage).toEqual(['1.3.6.1.5.5.7.3.4', '1.3.6.1.5.5.7.3.36']);
    expect(leaf.publicKey.asymmetricKeyDetails).toEqual({ namedCurve: 'prime256v1' });
    expect(new Date(leaf.validFrom).getTime()).toBe(Date.UTC(2025, 11, 31, 23));
    expect(new Date(leaf.validTo).getTime()).toBe(Date.UTC(2026, 0, 1) + 5 * 365 * 86_400_000);
  });

  it('keeps the private key in the browser: it cannot be exported', async () => {
    expect(credential.privateKey.extractable).toBe(false);
    await expect(crypto.subtle.exportKey('pkcs8', credential.privateKey)).rejects.toThrow();
  });
});

describe('the COSE_Sign1 signature', () => {
  const claim = new TextEncoder().encode('a claim, in CBOR for real');
  const chain = credential.chain.map((der) => new Uint8Array(der));

  it.each([1500, 1537, 4096, 70_000])('fills exactly the %i bytes reserved for it', async (size) => {
    const cose = await coseSign1(claim, chain, size, sign);
    expect(cose.length).toBe(size);
    expect([cose[0], cose[1]]).toEqual([0xd2, 0x84]); // tag 18, an array of four
  });

  it('signs the Sig_structure with the certificate key (ES256, r|s)', async () => {
    const cose = await coseSign1(claim, chain, 4096, sign);
    // The protected header is the byte string right after the array head; its length head is 0x59 + 2 bytes.
    expect(cose[2]).toBe(0x59);
    const length = (cose[3]! << 8) | cose[4]!;
    const header = cose.subarray(5, 5 + length);
    // Its map: alg (1) = ES256 (-7), x5chain (33) = [leaf, root].
    expect([header[0], header[1], header[2], header[3], header[4]]).toEqual([0xa2, 0x01, 0x26, 0x18, 0x21]);
    const signature = cose.subarray(cose.length - 64);
    const toBeSigned = encodeCbor(['Signature1', header, new Uint8Array(0), claim]);
    const ok = verify(
      'sha256',
      toBeSigned,
      { key: leafDer!.publicKey, dsaEncoding: 'ieee-p1363' },
      signature,
    );
    expect(ok).toBe(true);
  });

  it('refuses a reservation too small for it', async () => {
    await expect(coseSign1(claim, chain, 200, sign)).rejects.toThrow();
  });
});
