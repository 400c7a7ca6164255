import type { z } from 'zod';
import { cancelled, DoppelError } from '../../shared/errors';
import { apiErrorReply } from '../../shared/license/api-replies';

/** Where the license API lives: on the app's own origin (scripts/serve.ts serves both). */
const apiBase = '/api';

/**
 * Calls the license API and checks its answer against `reply` (src/shared/license/api-replies.ts). A
 * refusal (`{error: {code, message}}`) becomes LICENSE_REFUSED with the server's message and
 * `details.serverCode` (and the error's other fields); no answer, or one that is not the API's (not
 * JSON, or not the shape `reply` says), becomes LICENSE_SERVER_UNREACHABLE.
 */
export async function callLicenseApi<T>(
  path: string,
  reply: z.ZodType<T>,
  options: { method?: 'GET' | 'POST'; body?: unknown; signal?: AbortSignal } = {},
): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`${apiBase}${path}`, {
      method: options.method ?? 'POST',
      headers: options.body === undefined ? {} : { 'content-type': 'application/json' },
      body: options.body === undefined ? null : JSON.stringify(options.body),
      cache: 'no-store',
      signal: options.signal ?? null,
    });
  } catch (error) {
    if (options.signal?.aborted) throw cancelled();
    throw new DoppelError('LICENSE_SERVER_UNREACHABLE', undefined, { cause: String(error) });
  }
  const body: unknown = await response.json().catch(() => null);
  if (response.ok) {
    const answer = reply.safeParse(body);
    if (answer.success) return answer.data;
    throw new DoppelError('LICENSE_SERVER_UNREACHABLE', undefined, {
      status: response.status,
      problem: answer.error.message,
    });
  }
  const refusal = apiErrorReply.safeParse(body);
  if (refusal.success) {
    const { error } = refusal.data;
    throw new DoppelError('LICENSE_REFUSED', error.message, {
      ...error,
      serverCode: error.code,
      status: response.status,
    });
  }
  throw new DoppelError('LICENSE_SERVER_UNREACHABLE', undefined, { status: response.status });
}

/** The server's code of a LICENSE_REFUSED error (e.g. 'TOO_MANY_MACHINES'), else null. */
export function serverCode(error: unknown): string | null {
  if (!(error instanceof DoppelError) || error.code !== 'LICENSE_REFUSED') return null;
  return typeof error.details.serverCode === 'string' ? error.details.serverCode : null;
}
