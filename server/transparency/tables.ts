import { NONCE_TTL_MS } from '../store/nonces';
import { TRIAL_BLOCK_PERIOD_DAYS } from '../licensing/plans';
import type { TransparencyConfig } from './config';

/**
 * Every table the license server keeps, as the transparency report describes it: what it is for,
 * the SQL expression that dates a row (the oldest row is its minimum), and the retention rule.
 * tests/server/transparency.test.ts checks that this lists every table in the database.
 */
export interface TableDescription {
  name: string;
  what: string;
  /** A fixed SQL expression over the table's columns: when a row was written. */
  writtenAt: string;
  retention: (rules: TransparencyConfig) => string;
}

export const REPORTED_TABLES: readonly TableDescription[] = [
  {
    name: 'licenses',
    what: 'One row per license: hash of the key, plan, status, email until the account is deleted, dates',
    writtenAt: 'created_at',
    retention: () =>
      'Kept for the life of the license. Deleting the account removes the key hash and the email; the license id, plan and purchase date stay, as tax law asks',
  },
  {
    name: 'activations',
    what: 'The one device that holds each license: a keyed hash of its device id, its label, app version, activation and last check-in times',
    writtenAt: 'activated_at',
    retention: (rules) =>
      `Deleted when the device is deactivated or the account deleted, and by the retention job once the device has not checked in for ${rules.staleDeviceDays} days`,
  },
  {
    name: 'trials',
    what: 'One row per device that started a trial: a keyed hash of its device id, its dates, and for a while a keyed hash of its network block',
    writtenAt: 'started_at',
    retention: (rules) =>
      `The network-block hash is cleared ${TRIAL_BLOCK_PERIOD_DAYS} days after the trial started; the row is deleted by the retention job ${rules.trialDays} days after the trial ended`,
  },
  {
    name: 'nonces',
    what: 'Single-use random challenges a device signs to prove it holds its key',
    writtenAt: `expires_at - make_interval(secs => ${NONCE_TTL_MS / 1000})`,
    retention: () =>
      `Deleted when used, and by the retention job once expired (${NONCE_TTL_MS / 60_000} minutes after they were made)`,
  },
  {
    name: 'stripe_events',
    what: "Payment events from Stripe, the payment service: their ids, types, what they said about a payment, and that payment's ids",
    writtenAt: 'received_at',
    retention: () =>
      'Kept for the life of the license it concerns: a license’s status is derived from all of its payment events',
  },
  {
    name: 'rate_limits',
    what: 'Request counters per minute, named by a keyed hash of the address, key or device',
    writtenAt: 'window_start',
    retention: () =>
      'Deleted once their one-minute window is over (as they are met, and by the retention job)',
  },
  {
    name: 'audit_log',
    what: 'Who did what to a license and when: activations, takeovers, deactivations, refunds, disputes, deletions',
    writtenAt: 'at',
    retention: (rules) => `Append-only; rows are deleted by the retention job after ${rules.auditDays} days`,
  },
  {
    name: 'transparency_reports',
    what: 'These signed transparency reports',
    writtenAt: 'period_end',
    retention: () => 'Kept for ever: each report names the one before it',
  },
  {
    name: 'transparency_counts',
    what: 'Counts of account exports, deletions and retention deletions not yet in a report (no ids, only numbers)',
    writtenAt: 'at',
    retention: () => 'Deleted when the next report takes them',
  },
];
