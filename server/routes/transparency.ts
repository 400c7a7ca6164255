import { Hono } from 'hono';
import { z } from 'zod';
import type { RouteDeps } from '../app-deps';
import { ApiError } from '../http/api-error';
import { limitRequest } from '../http/limit-request';
import { DEFAULT_TRANSPARENCY } from '../transparency/config';
import { makeReportIfDue, reportChain } from '../transparency/reports';
import type { TransparencyReply } from '../../src/shared/transparency/report-format';

const fromQuery = z.coerce.number().int().min(1).default(1);

/**
 * GET /api/transparency[?from=N]: the signed transparency reports, oldest first (from report N). A
 * report that is due is made first, so the latest is never older than the report period.
 */
export function transparencyRoutes(deps: RouteDeps): Hono {
  const reportDeps = { ...deps, transparency: deps.transparency ?? DEFAULT_TRANSPARENCY };
  return new Hono().get('/', async (c) => {
    await limitRequest(deps, c, 'transparency');
    const from = fromQuery.safeParse(c.req.query('from'));
    if (!from.success) throw new ApiError(400, 'INVALID_REQUEST', '`from` must be a report number from 1.');
    await makeReportIfDue(reportDeps);
    return c.json({
      alg: 'Ed25519',
      reports: await reportChain(deps.db, from.data),
    } satisfies TransparencyReply);
  });
}
