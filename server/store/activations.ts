import { sql } from 'kysely';
import type { Db } from '../db/database';
import type { License } from '../db/schema';
import { hashLicenseKey } from '../licensing/license-key';
import { ACTIVATION_LAPSE_DAYS, CHECK_IN_INTERVAL_MINUTES, TAKEOVER_INTERVAL_DAYS } from '../licensing/plans';
import { recordAudit } from './audit';

export interface DeviceActivation {
  licenseId: string;
  deviceHash: string;
  label: string;
  appVersion: string;
}

const lapsed = sql<Date>`now() - make_interval(days => ${ACTIVATION_LAPSE_DAYS})`;
const takeoverAllowed = sql<Date>`now() - make_interval(days => ${TAKEOVER_INTERVAL_DAYS})`;

/**
 * Activates the license on this device unless another device holds it; a device that has not checked
 * in for ACTIVATION_LAPSE_DAYS no longer holds it. One statement: the primary key on license_id lets
 * exactly one of any number of racing devices in. Audited in the same transaction.
 */
export async function activate(db: Db, activation: DeviceActivation): Promise<boolean> {
  return db.transaction().execute(async (tx) => {
    const row = await tx
      .insertInto('activations')
      .values({
        license_id: activation.licenseId,
        device_hash: activation.deviceHash,
        label: activation.label,
        app_version: activation.appVersion,
      })
      .onConflict((conflict) =>
        conflict
          .column('license_id')
          .doUpdateSet((eb) => ({
            device_hash: eb.ref('excluded.device_hash'),
            label: eb.ref('excluded.label'),
            app_version: eb.ref('excluded.app_version'),
            activated_at: sql<Date>`case when activations.device_hash = excluded.device_hash then activations.activated_at else now() end`,
            last_seen_at: sql<Date>`now()`,
          }))
          .where((eb) =>
            eb.or([
              eb('activations.device_hash', '=', activation.deviceHash),
              eb('activations.last_seen_at', '<', lapsed),
            ]),
          ),
      )
      .returning('license_id')
      .executeTakeFirst();
    if (row) {
      await recordAudit(tx, {
        licenseId: activation.licenseId,
        action: 'activation',
        actor: activation.deviceHash,
      });
    }
    return row !== undefined;
  });
}

/**
 * Moves the license to this device if no takeover happened in the last TAKEOVER_INTERVAL_DAYS. The
 * claim on licenses.last_takeover_at and the move are one statement; of two racing takeovers the
 * second sees the first's timestamp (Postgres re-checks the WHERE after the row lock) and fails.
 */
export async function takeOver(db: Db, activation: DeviceActivation): Promise<boolean> {
  return db.transaction().execute(async (tx) => {
    const row = await tx
      .with('claimed', (qb) =>
        qb
          .updateTable('licenses')
          .set({ last_takeover_at: sql<Date>`now()` })
          .where('id', '=', activation.licenseId)
          .where((eb) =>
            eb.or([eb('last_takeover_at', 'is', null), eb('last_takeover_at', '<=', takeoverAllowed)]),
          )
          .returning('id'),
      )
      .insertInto('activations')
      .columns(['license_id', 'device_hash', 'label', 'app_version'])
      .expression((eb) =>
        eb
          .selectFrom('claimed')
          .select([
            'claimed.id',
            sql<string>`${activation.deviceHash}::text`.as('device_hash'),
            sql<string>`${activation.label}::text`.as('label'),
            sql<string>`${activation.appVersion}::text`.as('app_version'),
          ]),
      )
      .onConflict((conflict) =>
        conflict.column('license_id').doUpdateSet((eb) => ({
          device_hash: eb.ref('excluded.device_hash'),
          label: eb.ref('excluded.label'),
          app_version: eb.ref('excluded.app_version'),
          activated_at: sql<Date>`now()`,
          last_seen_at: sql<Date>`now()`,
        })),
      )
      .returning('license_id')
      .executeTakeFirst();
    if (row) {
      await recordAudit(tx, {
        licenseId: activation.licenseId,
        action: 'takeover',
        actor: activation.deviceHash,
      });
    }
    return row !== undefined;
  });
}

/** When the next takeover becomes possible, or null when it is possible now. */
export async function nextTakeoverAt(db: Db, licenseId: string): Promise<Date | null> {
  const row = await db
    .selectFrom('licenses')
    .select(sql<Date | null>`last_takeover_at + make_interval(days => ${TAKEOVER_INTERVAL_DAYS})`.as('next'))
    .where('id', '=', licenseId)
    .executeTakeFirstOrThrow();
  return row.next;
}

/** A license by key, with when this device last checked in (null when it does not hold the license). */
export type LicenseForDevice = License & { device_seen_at: Date | null };

/** validate's one query: the license by its key hash (unique index) and this device's activation (primary key). */
export function findLicenseForDevice(
  db: Db,
  normalizedKey: string,
  deviceHash: string,
): Promise<LicenseForDevice | undefined> {
  return db
    .selectFrom('licenses')
    .leftJoin('activations', (join) =>
      join.onRef('activations.license_id', '=', 'licenses.id').on('activations.device_hash', '=', deviceHash),
    )
    .selectAll('licenses')
    .select('activations.last_seen_at as device_seen_at')
    .where('licenses.key_hash', '=', hashLicenseKey(normalizedKey))
    .executeTakeFirst();
}

/** Whether a check-in seen at `seenAt` is old enough to record again. */
export function checkInDue(seenAt: Date, now: Date): boolean {
  return now.getTime() - seenAt.getTime() >= CHECK_IN_INTERVAL_MINUTES * 60_000;
}

/** Records that this device checked in. */
export async function touchActivation(db: Db, licenseId: string, deviceHash: string): Promise<void> {
  await db
    .updateTable('activations')
    .set({ last_seen_at: sql<Date>`now()` })
    .where('license_id', '=', licenseId)
    .where('device_hash', '=', deviceHash)
    .execute();
}

export type Deactivation = 'deactivated' | 'not_activated' | 'too_soon';

/**
 * Frees the license from this device. With the device's proof it is free; without it, anyone who
 * knows the key and the device id could do it, so it counts as a takeover: it claims the license's
 * takeover (at most one per TAKEOVER_INTERVAL_DAYS) in the same statement, or fails with 'too_soon'.
 */
export async function deactivate(
  db: Db,
  licenseId: string,
  deviceHash: string,
  proven: boolean,
): Promise<Deactivation> {
  return db.transaction().execute(async (tx) => {
    const holds = tx
      .selectFrom('activations')
      .select('license_id')
      .where('license_id', '=', licenseId)
      .where('device_hash', '=', deviceHash);
    const row = proven
      ? await tx
          .deleteFrom('activations')
          .where('license_id', '=', licenseId)
          .where('device_hash', '=', deviceHash)
          .returning('license_id')
          .executeTakeFirst()
      : await tx
          .with('claimed', (qb) =>
            qb
              .updateTable('licenses')
              .set({ last_takeover_at: sql<Date>`now()` })
              .where('id', '=', licenseId)
              .where((eb) =>
                eb.and([
                  eb.or([eb('last_takeover_at', 'is', null), eb('last_takeover_at', '<=', takeoverAllowed)]),
                  eb.exists(holds),
                ]),
              )
              .returning('id'),
          )
          .deleteFrom('activations')
          .where('license_id', 'in', (eb) => eb.selectFrom('claimed').select('claimed.id'))
          .where('device_hash', '=', deviceHash)
          .returning('license_id')
          .executeTakeFirst();
    if (row) {
      await recordAudit(tx, {
        licenseId,
        action: 'deactivation',
        actor: deviceHash,
        detail: proven ? 'with device proof' : 'without device proof: counted as a takeover',
      });
      return 'deactivated';
    }
    return (await holds.executeTakeFirst()) ? 'too_soon' : 'not_activated';
  });
}
