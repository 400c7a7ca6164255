/**
 * The COSE_Sign1 signature of a C2PA claim (RFC 9052 as C2PA uses it): ES256, the certificate chain
 * in the protected header (label 33, x5chain), the claim as the detached payload, and a zero-filled
 * `pad` byte string in the unprotected header so the structure is exactly the size the manifest
 * reserved for it. c2pa-web hands its signer the claim and takes back this whole structure.
 *
 * No CBOR library is in the install and COSE here needs six CBOR item kinds, so they are written
 * below (RFC 8949 definite-length encoding).
 */

type Cbor = number | string | Uint8Array | null | Cbor[] | CborMap | CborTag;
class CborMap {
  constructor(readonly entries: [Cbor, Cbor][]) {}
}
class CborTag {
  constructor(
    readonly tag: number,
    readonly value: Cbor,
  ) {}
}

function head(major: number, n: number): number[] {
  const m = major << 5;
  if (n < 24) return [m | n];
  if (n < 0x100) return [m | 24, n];
  if (n < 0x10000) return [m | 25, n >> 8, n & 0xff];
  return [m | 26, (n >>> 24) & 0xff, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
}

function encodeInto(out: number[][], item: Cbor): void {
  if (item === null) out.push([0xf6]);
  else if (typeof item === 'number') out.push(item >= 0 ? head(0, item) : head(1, -1 - item));
  else if (typeof item === 'string') {
    const bytes = new TextEncoder().encode(item);
    out.push(head(3, bytes.length), Array.from(bytes));
  } else if (item instanceof Uint8Array) out.push(head(2, item.length), Array.from(item));
  else if (Array.isArray(item)) {
    out.push(head(4, item.length));
    for (const x of item) encodeInto(out, x);
  } else if (item instanceof CborMap) {
    out.push(head(5, item.entries.length));
    for (const [k, v] of item.entries) {
      encodeInto(out, k);
      encodeInto(out, v);
    }
  } else {
    out.push(head(6, item.tag));
    encodeInto(out, item.value);
  }
}

export function encodeCbor(item: Cbor): Uint8Array<ArrayBuffer> {
  const parts: number[][] = [];
  encodeInto(parts, item);
  return new Uint8Array(parts.flat());
}

/** COSE algorithm ES256 and header labels (RFC 9053, RFC 9360). */
const es256 = -7;
const algLabel = 1;
const x5chainLabel = 33;
const coseSign1Tag = 18;

/** The length of a CBOR byte string holding `n` bytes, head included. */
function bstrLength(n: number): number {
  return head(2, n).length + n;
}

/**
 * Signs `claim` with `sign` (ECDSA P-256 over SHA-256, the signature as r|s) and returns the tagged
 * COSE_Sign1, padded to exactly `size` bytes.
 */
export async function coseSign1(
  claim: Uint8Array,
  chain: readonly Uint8Array[],
  size: number,
  sign: (toBeSigned: Uint8Array<ArrayBuffer>) => Promise<Uint8Array>,
): Promise<Uint8Array<ArrayBuffer>> {
  const x5chain: Cbor = chain.length === 1 && chain[0] ? chain[0] : [...chain];
  const protectedHeader = encodeCbor(
    new CborMap([
      [algLabel, es256],
      [x5chainLabel, x5chain],
    ]),
  );
  const toBeSigned = encodeCbor(['Signature1', protectedHeader, new Uint8Array(0), claim]);
  const signature = await sign(toBeSigned);
  const build = (pad: number) =>
    encodeCbor(
      new CborTag(coseSign1Tag, [
        protectedHeader,
        new CborMap([['pad', new Uint8Array(pad)]]),
        null,
        signature,
      ]),
    );
  const unpadded = build(0).length - bstrLength(0);
  // The pad's own length head grows with it, so try the few lengths near the gap.
  for (let pad = Math.max(0, size - unpadded - 9); pad <= size - unpadded; pad++) {
    if (unpadded + bstrLength(pad) === size) return build(pad);
  }
  throw new Error(`The signature needs more than the ${size} bytes reserved for it`);
}
