import { sql } from 'kysely';
import type { Db } from '../db/database';
import { addDays, TRIAL_BLOCK_PERIOD_DAYS, TRIAL_DAYS } from '../licensing/plans';

export type TrialAnswer = { endsAt: Date } | { blockFullUntil: Date };

/**
 * This device's one trial: the one it already had (whatever its address now), or a new one unless
 * its address block started `perBlock` trials in the last TRIAL_BLOCK_PERIOD_DAYS; then the answer
 * says when the block's oldest of those leaves the period. The block's trials are counted under a
 * lock on the block (on one instance or several), so racing devices cannot all slip in. Block
 * hashes older than the period are cleared on the way: they are kept only as long as they count.
 */
export async function startOrResumeTrial(
  db: Db,
  trial: { deviceHash: string; blockHash: string; perBlock: number },
  now: Date,
): Promise<TrialAnswer> {
  const existing = await trialOf(db, trial.deviceHash);
  if (existing) return { endsAt: existing };
  return db.transaction().execute(async (tx) => {
    await sql`select pg_advisory_xact_lock(hashtextextended(${`trial-block:${trial.blockHash}`}, 0))`.execute(
      tx,
    );
    const since = addDays(now, -TRIAL_BLOCK_PERIOD_DAYS);
    await tx
      .updateTable('trials')
      .set({ address_block_hash: null })
      .where('address_block_hash', 'is not', null)
      .where('started_at', '<=', since)
      .execute();
    const recent = await tx
      .selectFrom('trials')
      .select('started_at')
      .where('address_block_hash', '=', trial.blockHash)
      .where('started_at', '>', since)
      .orderBy('started_at')
      .execute();
    if (recent.length >= trial.perBlock) {
      return {
        blockFullUntil: addDays(recent[recent.length - trial.perBlock]!.started_at, TRIAL_BLOCK_PERIOD_DAYS),
      };
    }
    await tx
      .insertInto('trials')
      .values({
        device_hash: trial.deviceHash,
        address_block_hash: trial.blockHash,
        started_at: now,
        expires_at: addDays(now, TRIAL_DAYS),
      })
      .onConflict((conflict) => conflict.column('device_hash').doNothing())
      .execute();
    return { endsAt: (await trialOf(tx, trial.deviceHash))! };
  });
}

async function trialOf(db: Db, deviceHash: string): Promise<Date | undefined> {
  const row = await db
    .selectFrom('trials')
    .select('expires_at')
    .where('device_hash', '=', deviceHash)
    .executeTakeFirst();
  return row?.expires_at;
}
