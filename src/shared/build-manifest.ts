/**
 * dist/build-manifest.json: every file a build ships, with its size and SHA-256, signed with Ed25519.
 *
 * The signature covers `signedBytes(manifest)`: the UTF-8 bytes of the canonical JSON (keys sorted,
 * no whitespace) of the manifest without its `signature` field. Verification uses WebCrypto only, so
 * the same code runs in the browser (the Verify page) and in Node (`npm run verify`).
 */

import * as z from 'zod/mini';
import { base64ToBytes, bytesToBase64, bytesToHex, sha256Hex } from './bytes.ts';

/** Format version of the manifest; bump when the signed content changes meaning. */
export const buildManifestVersion = 1;
export const buildManifestPath = 'build-manifest.json';

const relativePath = z.string().check(
  z.refine((path) => path !== '' && !path.startsWith('/') && !path.split('/').includes('..'), {
    error: 'is not a relative path',
  }),
);

const buildFile = z.object({
  /** Relative to the deployment root, '/'-separated, no leading slash. */
  path: relativePath,
  bytes: z.int({ error: 'is not a size' }).check(z.nonnegative({ error: 'is not a size' })),
  /** Lower-case hex. */
  sha256: z.string().check(z.regex(/^[0-9a-f]{64}$/, { error: 'is not a SHA-256' })),
});

const unsignedBuildManifest = z.object(
  {
    version: z.literal(buildManifestVersion, { error: `is not ${buildManifestVersion}` }),
    appVersion: z.string(),
    createdAt: z.string(),
    /** Raw 32-byte Ed25519 public key, base64. */
    publicKey: z.string(),
    /** Sorted by path. */
    files: z.array(buildFile).check(
      z.superRefine((files, ctx) => {
        const paths = new Set<string>();
        for (const { path } of files) {
          if (paths.has(path))
            ctx.addIssue({ code: 'custom', message: `${path} is listed twice`, input: files });
          paths.add(path);
        }
      }),
    ),
  },
  { error: 'not a JSON object' },
);

/** build-manifest.json's schema: the verify page, `npm run verify` and the build share it. */
export const buildManifestSchema = z.extend(unsignedBuildManifest, {
  /** Ed25519 signature of `signedBytes(manifest)`, base64. */
  signature: z.string(),
});

export type BuildFile = z.infer<typeof buildFile>;
export type UnsignedBuildManifest = z.infer<typeof unsignedBuildManifest>;
export type BuildManifest = z.infer<typeof buildManifestSchema>;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Deterministic JSON: object keys sorted by code unit, no whitespace, undefined members dropped. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value))
      throw new TypeError('canonical JSON has no representation for NaN or Infinity');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v ?? null)).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, Json | undefined>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  throw new TypeError(`canonical JSON cannot represent a ${typeof value}`);
}

/** The exact bytes the Ed25519 signature covers: canonical JSON of everything but `signature`. */
export function signedBytes(manifest: UnsignedBuildManifest | BuildManifest): Uint8Array<ArrayBuffer> {
  const { version, appVersion, createdAt, publicKey, files } = manifest;
  return new TextEncoder().encode(canonicalJson({ version, appVersion, createdAt, publicKey, files }));
}

/** A raw 32-byte Ed25519 public key written as 64 hex digits or as base64. */
export function parsePublicKey(text: string): Uint8Array<ArrayBuffer> {
  const trimmed = text.trim();
  let bytes: Uint8Array<ArrayBuffer> | undefined;
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) {
    bytes = Uint8Array.from(trimmed.match(/../g) ?? [], (h) => parseInt(h, 16));
  } else {
    try {
      bytes = base64ToBytes(trimmed);
    } catch {
      bytes = undefined;
    }
  }
  if (bytes?.length !== 32) {
    throw new Error('a public key is 32 bytes (Ed25519, raw), written as 64 hex digits or base64');
  }
  return bytes;
}

/** OpenSSH-style fingerprint of a raw public key: `SHA256:` + unpadded base64 of its SHA-256. */
export async function fingerprint(publicKey: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', publicKey));
  return `SHA256:${bytesToBase64(digest).replace(/=+$/, '')}`;
}

/** Checks the shape of a parsed build-manifest.json; throws saying what is wrong. */
export function parseBuildManifest(value: unknown): BuildManifest {
  const parsed = buildManifestSchema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new Error(`build manifest is malformed: ${z.prettifyError(parsed.error)}`);
}

/**
 * True when `manifest.signature` is a valid Ed25519 signature of `signedBytes(manifest)` by
 * `publicKey` (default: the key the manifest names, i.e. trust on first use).
 */
export async function verifyManifestSignature(
  manifest: BuildManifest,
  publicKey: Uint8Array<ArrayBuffer> = parsePublicKey(manifest.publicKey),
): Promise<boolean> {
  let signature: Uint8Array<ArrayBuffer>;
  try {
    signature = base64ToBytes(manifest.signature);
  } catch {
    return false;
  }
  try {
    const key = await crypto.subtle.importKey('raw', publicKey, { name: 'Ed25519' }, false, ['verify']);
    return await crypto.subtle.verify({ name: 'Ed25519' }, key, signature, signedBytes(manifest));
  } catch {
    return false; // a key that is not a curve point, or a signature of the wrong length
  }
}

export interface VerifyReport {
  /** Fingerprint of the key the signature was checked against. */
  fingerprint: string;
  /** Whether that key was pinned by the caller (otherwise taken from the manifest). */
  pinned: boolean;
  signatureValid: boolean;
  filesChecked: number;
  /** One human-readable line per problem; empty when everything matches. */
  problems: string[];
}

/**
 * Verifies a deployment: the signature, then every listed file's size and SHA-256.
 * `readFile` returns a file's bytes, or null when it does not exist.
 */
export async function verifyBuild(
  manifest: BuildManifest,
  readFile: (path: string) => Promise<Uint8Array<ArrayBuffer> | null>,
  options: { publicKey?: Uint8Array<ArrayBuffer>; concurrency?: number } = {},
): Promise<VerifyReport> {
  const problems: string[] = [];
  const manifestKey = parsePublicKey(manifest.publicKey);
  const key = options.publicKey ?? manifestKey;
  if (options.publicKey && bytesToHex(options.publicKey) !== bytesToHex(manifestKey)) {
    problems.push(
      `manifest names public key ${await fingerprint(manifestKey)}, not the expected ${await fingerprint(key)}`,
    );
  }
  const signatureValid = await verifyManifestSignature(manifest, key);
  if (!signatureValid) problems.push(`signature: not a valid Ed25519 signature by ${await fingerprint(key)}`);

  const fileProblems: string[][] = manifest.files.map(() => []);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < manifest.files.length; i = next++) {
      const file = manifest.files[i] as BuildFile;
      const out = fileProblems[i] as string[];
      let bytes: Uint8Array<ArrayBuffer> | null;
      try {
        bytes = await readFile(file.path);
      } catch (error) {
        out.push(`${file.path}: cannot read (${(error as Error).message})`);
        continue;
      }
      if (bytes === null) {
        out.push(`${file.path}: missing`);
        continue;
      }
      if (bytes.length !== file.bytes)
        out.push(`${file.path}: ${bytes.length} bytes, expected ${file.bytes}`);
      const sha256 = await sha256Hex(bytes);
      if (sha256 !== file.sha256) out.push(`${file.path}: SHA-256 ${sha256}, expected ${file.sha256}`);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 6) }, worker));
  problems.push(...fileProblems.flat());

  return {
    fingerprint: await fingerprint(key),
    pinned: options.publicKey !== undefined,
    signatureValid,
    filesChecked: manifest.files.length,
    problems,
  };
}
