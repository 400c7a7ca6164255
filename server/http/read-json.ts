import type { Context } from 'hono';
import type { z } from 'zod';
import { ApiError } from './api-error';

/** C0 and C1 control characters, and the bidirectional controls that can disguise text. */
// eslint-disable-next-line no-control-regex
const FORBIDDEN_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/** The path of the first string (key or value) holding a forbidden character, or null. */
function forbiddenAt(value: unknown, path: string[] = []): string[] | null {
  if (typeof value === 'string') return FORBIDDEN_CHARACTERS.test(value) ? path : null;
  if (typeof value !== 'object' || value === null) return null;
  for (const [key, item] of Object.entries(value)) {
    if (FORBIDDEN_CHARACTERS.test(key)) return [...path, key];
    const found = forbiddenAt(item, [...path, key]);
    if (found) return found;
  }
  return null;
}

/**
 * Parses an `application/json` body (else 415) and checks it against a strict schema; bad input is
 * a 400 that names the problem, and so is a control or bidi character anywhere in it.
 */
export async function readJson<Schema extends z.ZodType>(
  c: Context,
  schema: Schema,
): Promise<z.output<Schema>> {
  const type = c.req.header('content-type')?.split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') {
    throw new ApiError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the body as Content-Type: application/json.');
  }
  let body: unknown;
  try {
    body = JSON.parse(await c.req.text());
  } catch {
    throw new ApiError(400, 'MALFORMED_JSON', 'The request body must be a JSON object.');
  }
  const forbidden = forbiddenAt(body);
  if (forbidden) {
    const where = forbidden.length ? `${forbidden.join('.')}: ` : '';
    throw new ApiError(400, 'INVALID_REQUEST', `${where}control and bidi characters are not allowed`);
  }
  const result = schema.safeParse(body);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
    throw new ApiError(400, 'INVALID_REQUEST', `${where}${issue?.message ?? 'invalid request'}`);
  }
  return result.data;
}
