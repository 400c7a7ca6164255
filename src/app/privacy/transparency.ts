import { signal } from '@preact/signals';
import { DoppelError, errorCatalogue } from '../../shared/errors';
import { sha256Hex } from '../../shared/bytes';
import {
  verifyTransparencyChain,
  type ChainProblem,
  type KnownReport,
  type VerifiedReport,
} from '../../shared/transparency/verify-chain';
import { licensePublicKey } from '../license/public-key';

/**
 * The license server's transparency report as the Privacy screen shows it: fetched from
 * /api/transparency, every signature checked against the license key this build bundles, every
 * report linked to the one before (src/shared/transparency/verify-chain.ts). The latest report
 * verified is remembered in this browser (`localStorage`, `doppel.transparency`: its number and
 * hash); the next check fetches the chain from that report on and requires it unchanged, so a
 * history rewritten in between shows as failed.
 */
export type TransparencyState =
  | { state: 'idle' | 'loading' }
  | {
      state: 'verified';
      latest: VerifiedReport;
      /** The first report fetched and verified (1, or the one verified before). */
      firstSeq: number;
      /** Whether the report's build manifest hash is the one of the app running here; null when unknown. */
      sameBuild: boolean | null;
    }
  | { state: 'failed'; problem: ChainProblem; reason: string; message: string }
  | { state: 'unreachable'; message: string };

export const transparency = signal<TransparencyState>({ state: 'idle' });

const knownKey = 'doppel.transparency';

function knownReport(): KnownReport | undefined {
  try {
    const known = JSON.parse(localStorage.getItem(knownKey) ?? 'null') as KnownReport | null;
    return known && Number.isInteger(known.seq) && typeof known.hash === 'string' ? known : undefined;
  } catch {
    return undefined;
  }
}

/** Forgets the report verified before, then checks again: for a server whose history was reset on purpose. */
export function forgetKnownReport(): Promise<void> {
  localStorage.removeItem(knownKey);
  return loadTransparency();
}

/** SHA-256 of the build-manifest.json this app was served with, or null when it has none. */
async function ownBuildManifestHash(): Promise<string | null> {
  try {
    const response = await fetch('/build-manifest.json', { cache: 'no-store' });
    return response.ok ? await sha256Hex(new Uint8Array(await response.arrayBuffer())) : null;
  } catch {
    return null;
  }
}

/** Fetches and verifies the chain; the result lands in `transparency`. */
export async function loadTransparency(): Promise<void> {
  transparency.value = { state: 'loading' };
  const known = knownReport();
  let body: unknown;
  try {
    const response = await fetch(`/api/transparency${known ? `?from=${known.seq}` : ''}`, {
      cache: 'no-store',
    });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    body = await response.json();
  } catch {
    transparency.value = { state: 'unreachable', message: errorCatalogue.LICENSE_SERVER_UNREACHABLE };
    return;
  }
  const check = await verifyTransparencyChain(body, await licensePublicKey(), known);
  if (!check.ok) {
    const error = new DoppelError('TRANSPARENCY_REPORT_FAILED', undefined, { reason: check.reason });
    transparency.value = {
      state: 'failed',
      problem: check.problem,
      reason: check.reason,
      message: error.message,
    };
    return;
  }
  try {
    localStorage.setItem(knownKey, JSON.stringify({ seq: check.latest.report.seq, hash: check.latest.hash }));
  } catch {
    // Storage refused (full, or a private window): the next check verifies the whole chain instead.
  }
  const reported = check.latest.report.buildManifestSha256;
  const own = reported === null ? null : await ownBuildManifestHash();
  transparency.value = {
    state: 'verified',
    latest: check.latest,
    firstSeq: check.reports[0]!.report.seq,
    sameBuild: reported === null || own === null ? null : reported === own,
  };
}
