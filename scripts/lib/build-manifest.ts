import { createHash, sign, type KeyObject } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import {
  buildManifestPath,
  buildManifestVersion,
  signedBytes,
  type BuildFile,
  type BuildManifest,
  type UnsignedBuildManifest,
} from '../../src/shared/build-manifest.ts';
import { bytesToBase64 } from '../../src/shared/bytes.ts';

/** Every file under `dir` (relative, '/'-separated, sorted), except the build manifest itself. */
export function listShippedFiles(dir: string): string[] {
  const found: string[] = [];
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const full = join(at, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) found.push(relative(dir, full).split(sep).join('/'));
    }
  };
  walk(dir);
  return found.filter((path) => path !== buildManifestPath).sort();
}

export function describeFiles(dir: string, paths: string[]): BuildFile[] {
  return paths.map((path) => {
    const bytes = readFileSync(join(dir, path));
    return { path, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
  });
}

export function signManifest(unsigned: UnsignedBuildManifest, privateKey: KeyObject): BuildManifest {
  const signature = sign(null, signedBytes(unsigned), privateKey);
  return { ...unsigned, signature: bytesToBase64(signature) };
}

/** Lists and hashes every file in `dir`, signs the list, and writes `dir/build-manifest.json`. */
export function writeBuildManifest(
  dir: string,
  key: { privateKey: KeyObject; publicKey: Uint8Array },
  appVersion: string,
  createdAt: Date = new Date(),
): BuildManifest {
  const manifest = signManifest(
    {
      version: buildManifestVersion,
      appVersion,
      createdAt: createdAt.toISOString(),
      publicKey: bytesToBase64(key.publicKey),
      files: describeFiles(dir, listShippedFiles(dir)),
    },
    key.privateKey,
  );
  writeFileSync(join(dir, buildManifestPath), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}
