/**
 * npm run verify -- <url-or-dist-dir> [--public-key <base64|hex>]
 * npm run verify -- --transparency <url> [--public-key <license server key>]
 *
 * Checks a deployment against its signed build-manifest.json: the Ed25519 signature, then every
 * listed file's size and SHA-256 (and, for a directory, files that are there but not listed).
 * With --transparency, verifies the license server's signed transparency chain instead
 * (scripts/lib/transparency-cli.ts). Exit 0 when everything matches, 1 on any problem, 2 on a usage error.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  buildManifestPath,
  parseBuildManifest,
  parsePublicKey,
  verifyBuild,
  type BuildManifest,
} from '../src/shared/build-manifest';
import { listShippedFiles } from './lib/build-manifest';
import { parseKnown, parseServerKey, verifyTransparencyCli } from './lib/transparency-cli';
import type { KnownReport } from '../src/shared/transparency/verify-chain';

const usage = [
  'usage: npm run verify -- <url-or-dist-dir> [--public-key <base64|hex>] (or env DOPPEL_PUBLIC_KEY)',
  '       npm run verify -- --transparency <url> [--public-key <base64 SPKI|hex>] (or env DOPPEL_LICENSE_PUBLIC_KEY) [--known SEQ:HASH]',
].join('\n');

function usageError(reason: string): never {
  console.error(`error: ${reason}\n${usage}`);
  process.exit(2);
}

type Command =
  | { target: string; publicKey: Uint8Array<ArrayBuffer> | undefined }
  | { transparency: string; publicKey: Uint8Array<ArrayBuffer> | undefined; known: KnownReport | undefined };

function parse(): Command {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        'public-key': { type: 'string' },
        transparency: { type: 'string' },
        known: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    usageError((error as Error).message);
  }
  if (parsed.values.help) {
    console.log(usage);
    process.exit(0);
  }
  const transparency = parsed.values.transparency;
  if (transparency !== undefined) {
    if (parsed.positionals.length > 0) usageError('--transparency takes its URL and nothing else');
    if (!/^https?:\/\//i.test(transparency))
      usageError(`--transparency ${transparency} is not an http(s) URL`);
    const keyText = parsed.values['public-key'] ?? process.env.DOPPEL_LICENSE_PUBLIC_KEY;
    let known: KnownReport | undefined;
    try {
      known = parsed.values.known === undefined ? undefined : parseKnown(parsed.values.known);
    } catch (error) {
      usageError((error as Error).message);
    }
    try {
      return { transparency, publicKey: keyText?.trim() ? parseServerKey(keyText) : undefined, known };
    } catch (error) {
      usageError(`--public-key: ${(error as Error).message}`);
    }
  }
  if (parsed.positionals.length !== 1) usageError('give exactly one URL or directory');
  const keyText = parsed.values['public-key'] ?? process.env.DOPPEL_PUBLIC_KEY;
  let publicKey: Uint8Array<ArrayBuffer> | undefined;
  if (keyText !== undefined && keyText.trim() !== '') {
    try {
      publicKey = parsePublicKey(keyText);
    } catch (error) {
      usageError(`--public-key: ${(error as Error).message}`);
    }
  }
  return { target: parsed.positionals[0] as string, publicKey };
}

interface Source {
  readFile: (path: string) => Promise<Uint8Array<ArrayBuffer> | null>;
  /** Files present but not in the manifest; only a directory can tell. */
  unlisted?: (manifest: BuildManifest) => string[];
}

function directorySource(dir: string): Source {
  return {
    readFile: async (path) => {
      const full = join(dir, path);
      return existsSync(full) ? new Uint8Array(readFileSync(full)) : null;
    },
    unlisted: (manifest) => {
      const listed = new Set(manifest.files.map((f) => f.path));
      return listShippedFiles(dir).filter((path) => !listed.has(path));
    },
  };
}

function urlSource(url: string): Source {
  // Accept both https://host/app/ and https://host/app/build-manifest.json.
  const root = new URL(url.endsWith(buildManifestPath) ? './' : url.replace(/\/?$/, '/'), url);
  return {
    readFile: async (path) => {
      const response = await fetch(new URL(path, root), { redirect: 'follow' });
      if (response.status === 404) return null;
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      return new Uint8Array(await response.arrayBuffer());
    },
  };
}

async function main(): Promise<number> {
  const command = parse();
  if ('transparency' in command) {
    return verifyTransparencyCli(command.transparency, command.publicKey, command.known);
  }
  const { target, publicKey } = command;
  const isUrl = /^https?:\/\//i.test(target);
  if (!isUrl && !(existsSync(target) && statSync(target).isDirectory())) {
    usageError(`${target} is neither an http(s) URL nor a directory`);
  }
  const source = isUrl ? urlSource(target) : directorySource(target);

  let manifest: BuildManifest;
  try {
    const bytes = await source.readFile(buildManifestPath);
    if (!bytes) {
      console.log(`${buildManifestPath}: missing`);
      console.log(
        `FAILED: ${target} has no ${buildManifestPath} (was it built with this version of Doppel?)`,
      );
      return 1;
    }
    manifest = parseBuildManifest(JSON.parse(new TextDecoder().decode(bytes)));
  } catch (error) {
    console.log(`${buildManifestPath}: ${(error as Error).message}`);
    console.log(`FAILED: cannot read the build manifest of ${target}`);
    return 1;
  }

  const report = await verifyBuild(manifest, source.readFile, publicKey ? { publicKey } : {});
  console.log(
    report.pinned
      ? `public key ${report.fingerprint} (pinned)`
      : `public key ${manifest.publicKey} (${report.fingerprint}), taken from the manifest: trust on first use; pin it with --public-key or DOPPEL_PUBLIC_KEY`,
  );
  const problems = [
    ...report.problems,
    ...(source.unlisted?.(manifest) ?? []).map((path) => `${path}: present but not listed in the manifest`),
  ];
  for (const problem of problems) console.log(problem);
  const signature = report.signatureValid ? 'signature valid' : 'signature INVALID';
  if (problems.length === 0) {
    console.log(
      `OK: ${signature}; all ${report.filesChecked} files match (version ${manifest.appVersion}, built ${manifest.createdAt})`,
    );
    return 0;
  }
  console.log(`FAILED: ${problems.length} problem(s); ${signature}; ${report.filesChecked} files listed`);
  return 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`error: ${(error as Error).stack ?? String(error)}`);
    process.exit(1);
  },
);
