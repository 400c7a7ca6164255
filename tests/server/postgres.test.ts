import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  issueKey,
  makeDevice,
  raceActivations,
  requestActivation,
  startTestServer,
  type TestServer,
} from './harness';

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
    const race = await raceActivations(server, id, key, 20, 'activate');
    expect(race.statuses).toEqual([200, ...Array(19).fill(409)]);
    expect(race.rows).toBe(1);
  });

  it('lets one of ten racing takeovers win', async () => {
    const { id, key } = await issueKey(server.db);
    await requestActivation(server.app, await makeDevice(), key);
    const race = await raceActivations(server, id, key, 10, 'takeover');
    expect(race.statuses).toEqual([200, ...Array(9).fill(429)]);
    expect(race.rows).toBe(1);
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
