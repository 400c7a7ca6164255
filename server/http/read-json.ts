import type { Context } from 'hono';
import type { z } from 'zod';
import { ApiError } from './api-error';

/** Parses the body as JSON and checks it against a strict schema; bad input is a 400 that names the problem. */
export async function readJson<Schema extends z.ZodType>(
  c: Context,
  schema: Schema,
): Promise<z.output<Schema>> {
  let body: unknown;
  try {
    body = JSON.parse(await c.req.text());
  } catch {
    throw new ApiError(400, 'MALFORMED_JSON', 'The request body must be a JSON object.');
  }
  const result = schema.safeParse(body);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue?.path.length ? `${issue.path.join('.')}: ` : '';
    throw new ApiError(400, 'INVALID_REQUEST', `${where}${issue?.message ?? 'invalid request'}`);
  }
  return result.data;
}
