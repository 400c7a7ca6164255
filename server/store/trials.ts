import type { Db } from '../db/database';
import { addDays, TRIAL_DAYS } from '../licensing/plans';

/** Starts this device's one trial, or returns the one it already had; the result says when it ends. */
export async function startOrResumeTrial(db: Db, deviceHash: string, now: Date): Promise<Date> {
  await db
    .insertInto('trials')
    .values({ device_hash: deviceHash, started_at: now, expires_at: addDays(now, TRIAL_DAYS) })
    .onConflict((conflict) => conflict.column('device_hash').doNothing())
    .execute();
  const trial = await db
    .selectFrom('trials')
    .select('expires_at')
    .where('device_hash', '=', deviceHash)
    .executeTakeFirstOrThrow();
  return trial.expires_at;
}
