import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { activationBody, issueKey, makeDevice, send, startTestServer, type TestServer } from './harness';

/**
 * The same code path against a real PostgreSQL server, where requests really run concurrently on a
 * connection pool: DOPPEL_TEST_DATABASE_URL, or the cluster global-setup starts when PostgreSQL is
 * installed. Skipped when there is neither.
 */
const url = inject('postgresUrl');

describe.skipIf(!url)('on PostgreSQL', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ database: { url } });
  });
  afterAll(async () => {
    await server?.db.destroy();
  });

  it('lets exactly one of 20 simultaneous activations in', async () => {
    const { id, key } = await issueKey(server.db);
    const devices = await Promise.all(Array.from({ length: 20 }, () => makeDevice()));
    const bodies = await Promise.all(devices.map((device) => activationBody(server.app, device, key)));
    const responses = await Promise.all(
      bodies.map((body) => send(server.app, 'POST', '/api/licenses/activate', body)),
    );
    expect(responses.map((response) => response.status).sort()).toEqual([200, ...Array(19).fill(409)]);
    const rows = await server.db
      .selectFrom('activations')
      .select('device_hash')
      .where('license_id', '=', id)
      .execute();
    expect(rows).toHaveLength(1);
  });

  it('lets one of ten racing takeovers win', async () => {
    const { id, key } = await issueKey(server.db);
    await send(
      server.app,
      'POST',
      '/api/licenses/activate',
      await activationBody(server.app, await makeDevice(), key),
    );
    const devices = await Promise.all(Array.from({ length: 10 }, () => makeDevice()));
    const bodies = await Promise.all(devices.map((device) => activationBody(server.app, device, key)));
    const responses = await Promise.all(
      bodies.map((body) => send(server.app, 'POST', '/api/licenses/takeover', body)),
    );
    expect(responses.map((response) => response.status).sort()).toEqual([200, ...Array(9).fill(429)]);
    const rows = await server.db
      .selectFrom('activations')
      .select('device_hash')
      .where('license_id', '=', id)
      .execute();
    expect(rows).toHaveLength(1);
  });

  it('has row-level security on every table', async () => {
    const { rows } = await sql<{ relname: string }>`
      select relname from pg_class
      where relname in ('licenses', 'activations', 'trials', 'nonces', 'stripe_events') and relrowsecurity`.execute(
      server.db,
    );
    expect(rows).toHaveLength(5);
  });
});
