import { sql } from 'kysely';
import type { Db } from '../db/database';
import type { AuditAction } from '../db/schema';

export interface AuditEntry {
  licenseId: string;
  action: AuditAction;
  actor: string;
  detail?: string;
}

/** The actor of an account deletion: whoever holds the key (it is dropped with the account). */
export const KEY_HOLDER = 'key holder';

/** Appends one row to the audit log; call it in the transaction of the operation it records. */
export async function recordAudit(db: Db, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      license_id: entry.licenseId,
      action: entry.action,
      actor: entry.actor,
      detail: entry.detail ?? null,
    })
    .execute();
}

/** The license's audit rows, oldest first, for the account export. */
export async function auditTrail(db: Db, licenseId: string) {
  const rows = await db
    .selectFrom('audit_log')
    .select(['action', 'actor', 'detail', 'at'])
    .where('license_id', '=', licenseId)
    .orderBy('id')
    .execute();
  return rows.map((row) => ({ action: row.action, actor: row.actor, detail: row.detail, at: row.at }));
}

/**
 * Audits every refund and dispute event recorded about this payment that is not yet in the log of
 * the license it bought: called under the payment's lock after each of its events, so an event
 * delivered before the payment is audited once the license exists, and none twice.
 */
export async function auditPaymentFacts(db: Db, paymentIntent: string): Promise<void> {
  await sql`
    insert into audit_log (license_id, action, actor, detail)
    select licenses.id,
           case when stripe_events.fact like 'dispute_%' then 'dispute' else 'refund' end,
           'stripe ' || stripe_events.id,
           stripe_events.fact
    from stripe_events join licenses on licenses.stripe_payment_intent = stripe_events.payment_intent
    where stripe_events.payment_intent = ${paymentIntent}
      and stripe_events.fact in ('refunded', 'partially_refunded', 'dispute_open', 'dispute_won', 'dispute_lost')
      and not exists (
        select 1 from audit_log
        where audit_log.license_id = licenses.id and audit_log.actor = 'stripe ' || stripe_events.id)
    order by stripe_events.received_at, stripe_events.id`.execute(db);
}
