import { Hono } from 'hono';
import { errorBody } from '../http/api-error';

/**
 * GET /.well-known/security.txt (RFC 9116). `Expires` comes from the release configuration
 * (DOPPEL_SECURITY_TXT_EXPIRES), so the file stops claiming to be current when a release is left
 * unmaintained; without it (development only: production refuses to start) the file is not served.
 */
export function securityTxtRoutes(contact: string, expires: Date | null): Hono {
  return new Hono().get('/', (c) =>
    expires
      ? c.text(
          [`Contact: ${contact}`, `Expires: ${expires.toISOString()}`, 'Preferred-Languages: en', ''].join(
            '\n',
          ),
        )
      : c.json(
          errorBody(
            'SECURITY_TXT_NOT_CONFIGURED',
            'Set DOPPEL_SECURITY_TXT_EXPIRES (the release configuration) to serve security.txt.',
          ),
          404,
        ),
  );
}
