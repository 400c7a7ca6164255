import { Hono } from 'hono';
import { addDays } from '../licensing/plans';

/** GET /.well-known/security.txt (RFC 9116). */
export function securityTxtRoutes(contact: string, now: () => Date): Hono {
  return new Hono().get('/', (c) =>
    c.text(
      [
        `Contact: ${contact}`,
        `Expires: ${addDays(now(), 365).toISOString()}`,
        'Preferred-Languages: en',
        '',
      ].join('\n'),
    ),
  );
}
