import type { Db } from '../db/database';
import type { License } from '../db/schema';
import { generateLicenseKey, hashLicenseKey, normalizeLicenseKey } from '../licensing/license-key';
import type { PaidPlan } from '../licensing/plans';

export interface NewLicense {
  plan: PaidPlan;
  email: string | null;
  expiresAt: Date | null;
}

/** Creates a license and returns its key: the only time the key exists outside its owner's hands. */
export async function createLicense(db: Db, license: NewLicense): Promise<{ id: string; key: string }> {
  const key = generateLicenseKey();
  const { id } = await db
    .insertInto('licenses')
    .values({
      key_hash: hashLicenseKey(normalizeLicenseKey(key)!),
      plan: license.plan,
      email: license.email,
      expires_at: license.expiresAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id, key };
}

export function findLicense(db: Db, normalizedKey: string): Promise<License | undefined> {
  return db
    .selectFrom('licenses')
    .selectAll()
    .where('key_hash', '=', hashLicenseKey(normalizedKey))
    .executeTakeFirst();
}

export type LicenseProblem = 'SUSPENDED' | 'REVOKED' | 'EXPIRED';

/** Why this license cannot be used now, or null when it can. */
export function licenseProblem(license: License, now: Date): LicenseProblem | null {
  if (license.status === 'revoked') return 'REVOKED';
  if (license.status === 'suspended') return 'SUSPENDED';
  if (license.expires_at !== null && license.expires_at <= now) return 'EXPIRED';
  return null;
}
