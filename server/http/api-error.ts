import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ApiErrorReply } from '../../src/shared/license/api-replies';

/** An error the API answers as `{ "error": { "code", "message", ...details } }` with its status. */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly details: Record<string, string> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function errorBody(
  code: string,
  message: string,
  details: Record<string, string> = {},
): ApiErrorReply {
  return { error: { code, message, ...details } };
}

export function errorResponse(c: Context, error: unknown): Response {
  if (error instanceof ApiError) {
    for (const [name, value] of Object.entries(error.headers)) c.header(name, value);
    return c.json(errorBody(error.code, error.message, error.details), error.status);
  }
  console.error(error);
  return c.json(errorBody('INTERNAL', 'Something went wrong on our side; try again in a minute.'), 500);
}
