import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  activationBody,
  allRows,
  issueKey,
  makeDevice,
  send,
  startTestServer,
  type TestServer,
  requestActivation,
  SECURITY_TXT_EXPIRES,
} from './harness';
import { securityTxtRoutes } from '../../server/routes/security-txt';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});

describe('what the server keeps', () => {
  it('stores devices only as HMAC(pepper, device id), never the id, the key or the public key', async () => {
    const { key } = await issueKey(server.db);
    const device = await makeDevice();
    const body = await activationBody(server.app, device, key);
    await send(server.app, 'POST', '/api/licenses/activate', body);
    await send(server.app, 'POST', '/api/trial', {
      deviceId: device.deviceId,
      proof: await device.proof(server.app),
    });
    const rows = await allRows(server.db);
    expect(rows).toContain('Chrome on Linux');
    expect(rows).not.toContain(device.deviceId);
    expect(rows).not.toContain(key);
    expect(rows).not.toContain(key.replace(/-/g, ''));
    expect(rows).not.toContain((body.proof.publicKey as { x: string }).x);
  });

  it('enables row-level security with no policies, so a Supabase-style anon role reads nothing', async () => {
    await issueKey(server.db);
    await sql`create role anon nologin`.execute(server.db);
    await sql`grant select on licenses, activations, trials, nonces, stripe_events to anon`.execute(
      server.db,
    );
    await sql`set role anon`.execute(server.db);
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from licenses`.execute(server.db);
    await sql`reset role`.execute(server.db);
    expect(rows[0]!.n).toBe(0);
    const { rows: tables } = await sql<{ relname: string; relrowsecurity: boolean }>`
      select relname, relrowsecurity from pg_class
      where relname in ('licenses', 'activations', 'trials', 'nonces', 'stripe_events', 'rate_limits', 'audit_log')`.execute(
      server.db,
    );
    expect(tables).toHaveLength(7);
    expect(tables.every((table) => table.relrowsecurity)).toBe(true);
  });
});

describe('account', () => {
  it('exports everything held for a license and deletes it, authorised by the key', async () => {
    const { id, key } = await issueKey(server.db);
    const device = await makeDevice();
    await requestActivation(server.app, device, key);
    const authorised = { authorization: `Bearer ${key}` };

    expect((await send(server.app, 'GET', '/api/account/export')).status).toBe(401);
    const exported = await send(server.app, 'GET', '/api/account/export', undefined, authorised);
    expect(await exported.json()).toMatchObject({
      license: { id, plan: 'pro', status: 'active', email: 'buyer@example.com' },
      activations: [{ label: 'Chrome on Linux', appVersion: '0.1.0' }],
    });

    expect((await send(server.app, 'DELETE', '/api/account', undefined, authorised)).status).toBe(200);
    const kept = await server.db
      .selectFrom('licenses')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(kept).toMatchObject({ key_hash: null, email: null, plan: 'pro' });
    const activations = await server.db
      .selectFrom('activations')
      .selectAll()
      .where('license_id', '=', id)
      .execute();
    expect(activations).toEqual([]);
    expect((await send(server.app, 'GET', '/api/account/export', undefined, authorised)).status).toBe(401);
  });
});

describe('HTTP surface', () => {
  it('sends security headers and serves security.txt and the public key', async () => {
    const response = await send(server.app, 'GET', '/.well-known/security.txt');
    expect(await response.text()).toBe(
      `Contact: mailto:security@example.com\nExpires: ${SECURITY_TXT_EXPIRES.toISOString()}\nPreferred-Languages: en\n`,
    );
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    const unconfigured = await securityTxtRoutes('mailto:security@example.com', null).request('/');
    expect(unconfigured.status).toBe(404);
    expect(await unconfigured.json()).toMatchObject({ error: { code: 'SECURITY_TXT_NOT_CONFIGURED' } });
    const key = (await (await send(server.app, 'GET', '/api/license-public-key')).json()) as { spki: string };
    expect(key.spki).toMatch(/^MCowBQYDK2VwAyEA/);
  });
});
