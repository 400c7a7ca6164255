import type { Db } from '../db/database';
import type { License } from '../db/schema';
import { countForReport } from '../transparency/reports';
import { auditTrail, KEY_HOLDER, recordAudit } from './audit';

/** Everything held about one license, for GET /api/account/export: the license, its activation and its audit log. */
export async function exportAccount(db: Db, license: License) {
  const activations = await db
    .selectFrom('activations')
    .select(['device_hash', 'label', 'app_version', 'activated_at', 'last_seen_at'])
    .where('license_id', '=', license.id)
    .execute();
  return {
    license: {
      id: license.id,
      plan: license.plan,
      status: license.status,
      email: license.email,
      createdAt: license.created_at,
      expiresAt: license.expires_at,
      lastTakeoverAt: license.last_takeover_at,
    },
    activations: activations.map((row) => ({
      deviceHash: row.device_hash,
      label: row.label,
      appVersion: row.app_version,
      activatedAt: row.activated_at,
      lastSeenAt: row.last_seen_at,
    })),
    audit: await auditTrail(db, license.id),
  };
}

/**
 * Removes the activations and personal data; keeps the license id, plan and purchase date, which
 * tax law needs, and the audit log (device hashes only). The key stops working (its hash is dropped).
 */
export async function deleteAccount(db: Db, licenseId: string): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await tx.deleteFrom('activations').where('license_id', '=', licenseId).execute();
    await tx
      .updateTable('licenses')
      .set({ key_hash: null, email: null, status: 'revoked', last_takeover_at: null, deleted_at: new Date() })
      .where('id', '=', licenseId)
      .execute();
    await recordAudit(tx, { licenseId, action: 'deletion', actor: KEY_HOLDER });
    await countForReport(tx, 'account_deletion');
  });
}
