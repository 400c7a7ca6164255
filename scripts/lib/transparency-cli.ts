import { fingerprint } from '../../src/shared/build-manifest';
import { base64ToBytes } from '../../src/shared/bytes';
import type { TransparencyReport } from '../../src/shared/transparency/report-format';
import { verifyTransparencyChain, type KnownReport } from '../../src/shared/transparency/verify-chain';

/**
 * `npm run verify -- --transparency URL [--public-key KEY] [--known SEQ:HASH]`: fetches the license
 * server's transparency chain and verifies every signature and link. KEY is the license server's
 * Ed25519 public key, base64 SPKI (as GET /api/license-public-key gives it) or the raw 32 bytes in
 * hex or base64; without it the key is fetched from the same server (trust on first use). With
 * `--known`, a report verified before (printed by the last run), the chain is fetched from that report
 * on and must hold it unchanged. Exit 0 when the chain verifies, 1 when it does not or cannot be fetched.
 */

/** `--known SEQ:HASH`; throws on anything else. */
export function parseKnown(text: string): KnownReport {
  const match = /^(\d+):([0-9a-f]{64})$/.exec(text.trim());
  if (!match || Number(match[1]) < 1) throw new Error('--known is SEQ:HASH, as the last run printed it');
  return { seq: Number(match[1]), hash: match[2]! };
}

/** Ed25519 SPKI DER: this fixed 12-byte header (RFC 8410), then the raw key. */
const SPKI_HEADER = [0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00];

/** The raw 32-byte key from base64 SPKI, or from raw hex or base64; throws on anything else. */
export function parseServerKey(text: string): Uint8Array<ArrayBuffer> {
  const trimmed = text.trim();
  const bytes = /^[0-9a-fA-F]{64}$/.test(trimmed)
    ? Uint8Array.from(trimmed.match(/../g) ?? [], (hex) => parseInt(hex, 16))
    : base64ToBytes(trimmed);
  if (bytes.length === 44 && SPKI_HEADER.every((byte, i) => bytes[i] === byte)) return bytes.slice(12);
  if (bytes.length === 32) return bytes;
  throw new Error('the license server key is Ed25519: base64 SPKI, or 32 raw bytes in hex or base64');
}

/** Where the chain and the key live, from the app's URL or the API's. */
export function transparencyUrls(url: string): { chain: URL; key: URL } {
  const given = new URL(url);
  const root = given.pathname.endsWith('/api/transparency')
    ? new URL(given.pathname.slice(0, -'api/transparency'.length), given)
    : new URL(given.pathname.replace(/\/?$/, '/'), given);
  return { chain: new URL('api/transparency', root), key: new URL('api/license-public-key', root) };
}

async function fetchJson(url: URL): Promise<unknown> {
  const response = await fetch(url, { redirect: 'follow' });
  if (!response.ok) throw new Error(`${url} answered HTTP ${response.status}`);
  return response.json();
}

function describeReport(report: TransparencyReport): string[] {
  const lines = [
    `report ${report.seq}: ${report.periodStart ?? 'the start'} to ${report.periodEnd}`,
    `  ${report.scope}`,
  ];
  for (const table of report.tables) {
    const oldest = table.oldestRow ? `, oldest ${table.oldestRow}` : '';
    lines.push(`  ${table.name}: ${table.rows} rows${oldest}. ${table.retention}`);
  }
  const deleted = Object.entries(report.retentionDeleted).map(([table, rows]) => `${table} ${rows}`);
  lines.push(
    `  account exports ${report.served.accountExports}, account deletions ${report.served.accountDeletions}`,
    `  deleted by the retention job: ${deleted.length > 0 ? deleted.join(', ') : 'nothing'}`,
    `  build manifest SHA-256: ${report.buildManifestSha256 ?? 'none served'}`,
  );
  return lines;
}

export async function verifyTransparencyCli(
  url: string,
  pinnedKey: Uint8Array<ArrayBuffer> | undefined,
  known?: KnownReport,
): Promise<number> {
  const urls = transparencyUrls(url);
  if (known) urls.chain.searchParams.set('from', String(known.seq));
  let raw = pinnedKey;
  let reply: unknown;
  try {
    if (!raw) {
      const answer = (await fetchJson(urls.key)) as { spki?: unknown };
      if (typeof answer.spki !== 'string') throw new Error(`${urls.key} did not give a key`);
      raw = parseServerKey(answer.spki);
    }
    reply = await fetchJson(urls.chain);
  } catch (error) {
    console.log(`FAILED: could not fetch the transparency report: ${(error as Error).message}`);
    return 1;
  }
  const keyName = await fingerprint(raw);
  console.log(
    pinnedKey
      ? `license server key ${keyName} (pinned)`
      : `license server key ${keyName}, taken from ${urls.key}: trust on first use; pin it with --public-key or DOPPEL_LICENSE_PUBLIC_KEY`,
  );
  const key = await crypto.subtle.importKey('raw', raw, { name: 'Ed25519' }, false, ['verify']);
  const check = await verifyTransparencyChain(reply, key, known);
  if (!check.ok) {
    console.log(`FAILED: ${check.reason} (${check.problem})`);
    return 1;
  }
  for (const line of describeReport(check.latest.report)) console.log(line);
  const first = check.reports[0]!.report.seq;
  console.log(
    `OK: ${check.reports.length} report(s), ${first} to ${check.latest.report.seq}: every signature valid, every report linked to the one before${known ? `, report ${known.seq} as verified before` : ''}`,
  );
  console.log(
    `next time, check that this history is kept: --known ${check.latest.report.seq}:${check.latest.hash}`,
  );
  return 0;
}
