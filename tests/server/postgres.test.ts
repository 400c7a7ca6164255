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
import { dispute, event, paidSession, startStripeTestServer } from './stripe-webhooks';

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
      where relname in ('licenses', 'activations', 'trials', 'nonces', 'stripe_events', 'rate_limits', 'audit_log') and relrowsecurity`.execute(
      server.db,
    );
    expect(rows).toHaveLength(7);
  });

  it('applies events about one payment, delivered at the same moment, one after the other', async () => {
    const stripe = await startStripeTestServer({ database: { url } });
    try {
      for (let round = 0; round < 20; round++) {
        const pi = `pi_pg_race_${round}`;
        expect(
          (
            await stripe.deliver(
              event('checkout.session.completed', paidSession(`cs_test_pg_race_${round}`, pi)),
            )
          ).status,
        ).toBe(200);
        const events = [
          event('charge.dispute.created', dispute(`dp_pg_${round}`, pi, 'needs_response')),
          event('charge.dispute.updated', dispute(`dp_pg_${round}`, pi, 'under_review')),
          event('charge.dispute.closed', dispute(`dp_pg_${round}`, pi, 'won')),
        ];
        const responses = await Promise.all(events.map((e) => stripe.deliver(e)));
        expect(responses.map((response) => response.status)).toEqual([200, 200, 200]);
        const license = await stripe.server.db
          .selectFrom('licenses')
          .select('status')
          .where('stripe_payment_intent', '=', pi)
          .executeTakeFirstOrThrow();
        expect(license.status, `round ${round}`).toBe('active');
      }
    } finally {
      await stripe.server.db.destroy();
      await stripe.standIn.close();
    }
  });
});
