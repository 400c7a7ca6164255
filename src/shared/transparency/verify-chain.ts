import { base64ToBytes } from '../bytes';
import {
  reportHash,
  reportSigningInput,
  transparencyReplySchema,
  transparencyReportSchema,
  type TransparencyReport,
} from './report-format';

/**
 * Checks a transparency chain with WebCrypto only, so the app and the CLI run the same code: every
 * report's signature against the license server's key, then every link (numbering, previous hash,
 * period) from the first report to the last.
 */
export type ChainProblem = 'MALFORMED' | 'NO_REPORTS' | 'BAD_SIGNATURE' | 'BROKEN_CHAIN' | 'REWRITTEN';

/** A report verified before (the app keeps the latest it saw; the CLI takes `--known SEQ:HASH`). */
export interface KnownReport {
  seq: number;
  hash: string;
}

export interface VerifiedReport {
  report: TransparencyReport;
  /** SHA-256 hex of the report's text: what the next report names as previousHash. */
  hash: string;
}

export type ChainCheck =
  | { ok: true; reports: VerifiedReport[]; latest: VerifiedReport }
  | { ok: false; problem: ChainProblem; reason: string };

const failed = (problem: ChainProblem, reason: string): ChainCheck => ({ ok: false, problem, reason });

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

async function signatureValid(publicKey: CryptoKey, text: string, signature: string): Promise<boolean> {
  try {
    return await crypto.subtle.verify(
      'Ed25519',
      publicKey,
      base64ToBytes(signature),
      reportSigningInput(text),
    );
  } catch {
    return false;
  }
}

/** Why `report` cannot follow `previous`, or null when it does. */
function linkProblem(previous: VerifiedReport, report: TransparencyReport): string | null {
  const before = previous.report;
  if (report.seq !== before.seq + 1) {
    return `report ${report.seq} comes after report ${before.seq}: a report is missing or out of order`;
  }
  if (report.previousHash !== previous.hash) {
    return `report ${report.seq} names another report ${before.seq} than the one sent: report ${before.seq} was rewritten after report ${report.seq} was signed`;
  }
  if (report.periodStart !== before.periodEnd) {
    return `report ${report.seq} does not start where report ${before.seq} ends`;
  }
  return null;
}

/** Why the chain does not hold the report verified before, unchanged; null when it does. */
function knownProblem(reports: VerifiedReport[], known: KnownReport): string | null {
  const found = reports.find((verified) => verified.report.seq === known.seq);
  if (found) {
    return found.hash === known.hash
      ? null
      : `report ${known.seq} is not the one verified before: the server's earlier reports were rewritten`;
  }
  return `report ${known.seq}, verified before, is not in the chain the server sent: its history was cut or rewritten`;
}

/**
 * Verifies GET /api/transparency's answer (parsed JSON). Without `known` the chain must start at
 * report 1, with no report before it. With `known` it may start later (`?from=SEQ`), and must hold
 * that report unchanged, so a history rewritten and signed again since then (which only the key's
 * holder can do) shows too.
 */
export async function verifyTransparencyChain(
  reply: unknown,
  publicKey: CryptoKey,
  known?: KnownReport,
): Promise<ChainCheck> {
  const parsed = transparencyReplySchema.safeParse(reply);
  if (!parsed.success) return failed('MALFORMED', 'the answer is not a list of signed reports');
  if (parsed.data.reports.length === 0) return failed('NO_REPORTS', 'the server sent no report');
  const verified: VerifiedReport[] = [];
  for (const [index, signed] of parsed.data.reports.entries()) {
    const json = parseJson(signed.report);
    const report = transparencyReportSchema.safeParse(json);
    const name = report.success ? `report ${report.data.seq}` : `the report in place ${index + 1}`;
    if (!(await signatureValid(publicKey, signed.report, signed.signature))) {
      return failed(
        'BAD_SIGNATURE',
        `${name} does not carry the license server's signature: it was changed after signing, or signed with another key`,
      );
    }
    if (!report.success) return failed('MALFORMED', `${name} is signed but not in the report format`);
    const previous = verified.at(-1);
    if (previous) {
      const problem = linkProblem(previous, report.data);
      if (problem) return failed('BROKEN_CHAIN', problem);
    } else if (report.data.seq === 1) {
      if (report.data.previousHash !== null || report.data.periodStart !== null) {
        return failed('BROKEN_CHAIN', 'report 1 names a report before it');
      }
    } else if (!known) {
      return failed(
        'BROKEN_CHAIN',
        `the reports start at report ${report.data.seq}: the ones before it are missing`,
      );
    }
    verified.push({ report: report.data, hash: await reportHash(signed.report) });
  }
  const rewritten = known && knownProblem(verified, known);
  if (rewritten) return failed('REWRITTEN', rewritten);
  return { ok: true, reports: verified, latest: verified.at(-1)! };
}
