import { parseArgs } from 'node:util';
import { z } from 'zod';
import { loadConfig } from '../config';
import { openDatabase } from '../db/database';
import { DataDirLockedError } from '../db/data-dir-lock';
import { addDays, PAID_PLANS } from '../licensing/plans';
import { createLicense } from '../store/licenses';

/**
 * `tsx server/cli/issue-license.ts --plan pro --email a@b.c [--days N]`: creates a license and
 * prints its key, for support and for trying the app without Stripe. Uses the same database as the
 * server (DATABASE_URL or PGlite in DOPPEL_DATA_DIR). PGlite allows one process per directory: while
 * a server holds it, this refuses with a message naming that process and writes nothing.
 */
const options = z
  .strictObject({
    plan: z.enum(PAID_PLANS),
    email: z.email({ pattern: z.regexes.html5Email }),
    days: z.coerce.number().int().positive().optional(),
  })
  .safeParse(
    parseArgs({ options: { plan: { type: 'string' }, email: { type: 'string' }, days: { type: 'string' } } })
      .values,
  );
if (!options.success) {
  console.error(
    `Usage: --plan ${PAID_PLANS.join('|')} --email a@b.c [--days N]\n${z.prettifyError(options.error)}`,
  );
  process.exit(2);
}

const config = loadConfig();
const db = await openDatabase(
  config.databaseUrl ? { url: config.databaseUrl } : { pgliteDir: config.dataDir },
).catch((error: unknown) => {
  if (!(error instanceof DataDirLockedError)) throw error;
  console.error(`license:issue: ${error.message}`);
  process.exit(1);
});
try {
  const { plan, email, days } = options.data;
  const expiresAt = days === undefined ? null : addDays(new Date(), days);
  const { id, key } = await createLicense(db, { plan, email, expiresAt });
  console.log(JSON.stringify({ key, id, plan, email, expiresAt }));
} finally {
  await db.destroy();
}
