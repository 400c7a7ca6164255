import { sql } from 'kysely';
import type { Db } from '../db/database';
import { TAKEOVER_INTERVAL_DAYS } from '../licensing/plans';

export interface DeviceActivation {
  licenseId: string;
  deviceHash: string;
  label: string;
  appVersion: string;
}

/**
 * Activates the license on this device unless another device holds it. One statement: the primary
 * key on license_id lets exactly one of any number of racing devices in.
 */
export async function activate(db: Db, activation: DeviceActivation): Promise<boolean> {
  const row = await db
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
          label: eb.ref('excluded.label'),
          app_version: eb.ref('excluded.app_version'),
          last_seen_at: sql<Date>`now()`,
        }))
        .where('activations.device_hash', '=', activation.deviceHash),
    )
    .returning('license_id')
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Moves the license to this device if no takeover happened in the last TAKEOVER_INTERVAL_DAYS. The
 * claim on licenses.last_takeover_at and the move are one statement; of two racing takeovers the
 * second sees the first's timestamp (Postgres re-checks the WHERE after the row lock) and fails.
 */
export async function takeOver(db: Db, activation: DeviceActivation): Promise<boolean> {
  const row = await db
    .with('claimed', (qb) =>
      qb
        .updateTable('licenses')
        .set({ last_takeover_at: sql<Date>`now()` })
        .where('id', '=', activation.licenseId)
        .where((eb) =>
          eb.or([
            eb('last_takeover_at', 'is', null),
            eb('last_takeover_at', '<=', sql<Date>`now() - make_interval(days => ${TAKEOVER_INTERVAL_DAYS})`),
          ]),
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
  return row !== undefined;
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

/** Records that this device checked in; false when it does not hold the license. */
export async function touchActivation(db: Db, licenseId: string, deviceHash: string): Promise<boolean> {
  const row = await db
    .updateTable('activations')
    .set({ last_seen_at: sql<Date>`now()` })
    .where('license_id', '=', licenseId)
    .where('device_hash', '=', deviceHash)
    .returning('license_id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function deactivate(db: Db, licenseId: string, deviceHash: string): Promise<boolean> {
  const row = await db
    .deleteFrom('activations')
    .where('license_id', '=', licenseId)
    .where('device_hash', '=', deviceHash)
    .returning('license_id')
    .executeTakeFirst();
  return row !== undefined;
}
