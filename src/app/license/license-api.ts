import { cancelled, DoppelError } from '../../shared/errors';

/** Where the license API lives: on the app's own origin (scripts/serve.ts serves both). */
const apiBase = '/api';

interface ApiErrorBody {
  error?: { code?: unknown; message?: unknown };
}

/**
 * Calls the license API. A refusal (`{error: {code, message}}`) becomes LICENSE_REFUSED with the
 * server's message and `details.serverCode` (and the error's other fields); no answer, or one that
 * is not the API's, becomes LICENSE_SERVER_UNREACHABLE.
 */
export async function callLicenseApi<T>(
  path: string,
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
  const body = (await response.json().catch(() => null)) as (T & ApiErrorBody) | null;
  if (response.ok && body) return body;
  const refusal = body?.error;
  if (refusal && typeof refusal.code === 'string' && typeof refusal.message === 'string') {
    throw new DoppelError('LICENSE_REFUSED', refusal.message, {
      ...refusal,
      serverCode: refusal.code,
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
