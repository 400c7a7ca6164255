import { Hono, type Context } from 'hono';
import type { RouteDeps } from '../app-deps';
import type { License } from '../db/schema';
import { ApiError } from '../http/api-error';
import { limitRequest } from '../http/limit-request';
import { licenseKey } from '../http/schemas';
import { deleteAccount, exportAccount } from '../store/account';
import { findLicense } from '../store/licenses';
import { countForReport } from '../transparency/reports';

/** GET /api/account/export and DELETE /api/account, authorised by `Authorization: Bearer <license key>`. */
export function accountRoutes(deps: RouteDeps): Hono {
  const authorise = async (c: Context): Promise<License> => {
    await limitRequest(deps, c, 'account');
    const key = licenseKey.safeParse(c.req.header('authorization')?.replace(/^Bearer\s+/i, '') ?? '');
    const license = key.success ? await findLicense(deps.db, key.data) : undefined;
    if (!license) {
      throw new ApiError(401, 'UNAUTHORIZED', 'Send your license key as "Authorization: Bearer <key>".');
    }
    return license;
  };

  return new Hono()
    .get('/export', async (c) => {
      const exported = await exportAccount(deps.db, await authorise(c));
      await countForReport(deps.db, 'account_export');
      return c.json(exported);
    })
    .delete('/', async (c) => {
      const license = await authorise(c);
      await deleteAccount(deps.db, license.id);
      return c.json({ deleted: true, kept: ['license id', 'plan', 'purchase date'] });
    });
}
