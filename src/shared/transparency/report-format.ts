import { z } from 'zod';
import { sha256Hex, utf8 } from '../bytes';

/**
 * The license server's signed transparency report (GET /api/transparency): what it stores, what it
 * deleted and served in a period, and the hash of the report before it, so the reports form an
 * append-only chain. Shared by the server (which writes it), the app's Privacy screen and
 * `npm run verify -- --transparency URL` (which verify it).
 *
 * Each report travels as its JSON text (`report`) with an Ed25519 signature over
 * `transparency/<report text>`. The signature and the chain hash cover those exact bytes, so no
 * canonical form is needed: a verifier never re-serialises.
 */
export const TRANSPARENCY_FORMAT = 'doppel-transparency-report/1';

const sha256 = z.string().regex(/^[0-9a-f]{64}$/);
const count = z.int().nonnegative();

export const reportedTableSchema = z.object({
  name: z.string().min(1),
  /** What the table is for, in plain words. */
  what: z.string().min(1),
  rows: count,
  /** When its oldest row was written; null when the table is empty. */
  oldestRow: z.iso.datetime().nullable(),
  /** How long its rows are kept. */
  retention: z.string().min(1),
});

export const transparencyReportSchema = z.object({
  format: z.literal(TRANSPARENCY_FORMAT),
  seq: z.int().min(1),
  /** SHA-256 (hex) of the previous report's text; null for the first report. */
  previousHash: sha256.nullable(),
  /** The previous report's periodEnd; null for the first report (it covers everything before it). */
  periodStart: z.iso.datetime().nullable(),
  periodEnd: z.iso.datetime(),
  /** What the report covers (the license server only) and why. */
  scope: z.string().min(1),
  tables: z.array(reportedTableSchema),
  /** Account requests answered in the period. */
  served: z.object({ accountExports: count, accountDeletions: count }),
  /** Rows the retention job deleted in the period, by table. */
  retentionDeleted: z.record(z.string(), count),
  /** SHA-256 (hex) of the build-manifest.json served with this server; null when none is. */
  buildManifestSha256: sha256.nullable(),
});

export type TransparencyReport = z.infer<typeof transparencyReportSchema>;
export type ReportedTable = z.infer<typeof reportedTableSchema>;

/** One report as sent: its exact text and the signature over it (base64). */
export const signedReportSchema = z.object({ report: z.string().min(1), signature: z.string().min(1) });
export type SignedReport = z.infer<typeof signedReportSchema>;

/** GET /api/transparency: the chain, oldest first. */
export const transparencyReplySchema = z.object({
  alg: z.literal('Ed25519'),
  reports: z.array(signedReportSchema),
});
export type TransparencyReply = z.infer<typeof transparencyReplySchema>;

/** The bytes a report's signature covers. */
export function reportSigningInput(reportText: string): Uint8Array<ArrayBuffer> {
  return utf8(`transparency/${reportText}`);
}

/** The hash the next report names as previousHash. */
export function reportHash(reportText: string): Promise<string> {
  return sha256Hex(utf8(reportText));
}
