import type { ColumnType, Generated, Selectable } from 'kysely';
import type { PaidPlan } from '../licensing/plans';

/** Table types for Kysely; the tables themselves are made by ./migrations. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type DefaultTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export type LicenseStatus = 'active' | 'suspended' | 'revoked';

export interface LicensesTable {
  id: Generated<string>;
  /** SHA-256 of the normalised key; null once the account is deleted. */
  key_hash: string | null;
  plan: PaidPlan;
  status: ColumnType<LicenseStatus, LicenseStatus | undefined, LicenseStatus>;
  email: string | null;
  expires_at: Timestamp | null;
  last_takeover_at: Timestamp | null;
  created_at: DefaultTimestamp;
  deleted_at: Timestamp | null;
  stripe_session_id: ColumnType<string | null, string | null | undefined, string | null>;
  stripe_payment_intent: ColumnType<string | null, string | null | undefined, string | null>;
}

/** One row per license: the device that holds it. */
export interface ActivationsTable {
  license_id: string;
  /** HMAC(pepper, device id). */
  device_hash: string;
  label: string;
  app_version: string;
  activated_at: DefaultTimestamp;
  last_seen_at: DefaultTimestamp;
}

export interface TrialsTable {
  device_hash: string;
  started_at: DefaultTimestamp;
  expires_at: Timestamp;
  /** HMAC(pepper, the address block the trial came from); null once the trial period is over. */
  address_block_hash: ColumnType<string | null, string | null | undefined, string | null>;
}

/** One fixed-window counter per rate-limit budget (server/http/rate-limits.ts). */
export interface RateLimitsTable {
  key: string;
  window_start: Timestamp;
  points: number;
}

export type AuditAction = 'activation' | 'takeover' | 'deactivation' | 'refund' | 'dispute' | 'deletion';

/** Append-only (a trigger refuses update, delete and truncate): who did what to a license, when. */
export interface AuditLogTable {
  id: Generated<string>;
  license_id: string;
  action: AuditAction;
  /** HMAC(pepper, device id) for device operations, `stripe <event id>`, or `key holder`. */
  actor: string;
  /** A fixed phrase such as "without device proof", never request data. */
  detail: string | null;
  at: DefaultTimestamp;
}

export interface NoncesTable {
  nonce: string;
  expires_at: Timestamp;
}

/** What a recorded Stripe event says about a payment (server/stripe/license-state.ts). */
export type StripeFact =
  | 'paid'
  | 'unpaid'
  | 'ignored'
  | 'refunded'
  | 'partially_refunded'
  | 'dispute_open'
  | 'dispute_won'
  | 'dispute_lost';

/** Every relevant Stripe webhook event, once by id: a retried event changes nothing. */
export interface StripeEventsTable {
  id: string;
  type: string;
  received_at: DefaultTimestamp;
  fact: ColumnType<StripeFact, StripeFact | undefined, StripeFact>;
  /** The Checkout Session, charge or dispute the event is about. */
  object_id: string | null;
  payment_intent: string | null;
}

/** One signed transparency report per row, numbered from 1 (server/transparency/reports.ts). */
export interface TransparencyReportsTable {
  seq: number;
  /** The report's JSON text, exactly as signed. */
  report: string;
  /** SHA-256 hex of `report`. */
  hash: string;
  /** Ed25519 over `transparency/<report>`, base64. */
  signature: string;
  period_end: Timestamp;
}

export type TransparencyCountKind = 'account_export' | 'account_deletion' | 'retention_deleted';

/** What the next transparency report counts; a report deletes the rows it took. */
export interface TransparencyCountsTable {
  id: Generated<string>;
  kind: TransparencyCountKind;
  /** The table a retention deletion was in. */
  table_name: string | null;
  count: number;
  at: DefaultTimestamp;
}

export interface Database {
  licenses: LicensesTable;
  activations: ActivationsTable;
  trials: TrialsTable;
  nonces: NoncesTable;
  stripe_events: StripeEventsTable;
  rate_limits: RateLimitsTable;
  audit_log: AuditLogTable;
  transparency_reports: TransparencyReportsTable;
  transparency_counts: TransparencyCountsTable;
}

export type License = Selectable<LicensesTable>;
export type Activation = Selectable<ActivationsTable>;
