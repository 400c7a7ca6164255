import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashDeviceId } from '../../server/crypto/device-pepper';
import { issueKey, makeDevice, requestActivation, send, testDatabases } from './harness';
import { charge, dispute, event, paidSession, startStripeTestServer } from './stripe-webhooks';

describe.each(testDatabases())('the audit log on $name', ({ database }) => {
  let stripe: Awaited<ReturnType<typeof startStripeTestServer>>;
  beforeAll(async () => {
    stripe = await startStripeTestServer({ database });
  });
  afterAll(async () => {
    await stripe?.server.db.destroy();
    await stripe?.standIn.close();
  });

  const trail = (licenseId: string) =>
    stripe.server.db
      .selectFrom('audit_log')
      .select(['action', 'actor', 'detail'])
      .where('license_id', '=', licenseId)
      .orderBy('id')
      .execute();

  it('records activation, takeover and both deactivations, by device hash, without request data', async () => {
    const { app, db, pepper } = stripe.server;
    const { id, key } = await issueKey(db);
    const [first, second] = [await makeDevice(), await makeDevice()];
    await requestActivation(app, first, key);
    await requestActivation(app, second, key, 'takeover');
    await send(app, 'POST', '/api/licenses/deactivate', {
      key,
      deviceId: second.deviceId,
      proof: await second.proof(app),
    });
    await requestActivation(app, first, key);
    const monthAgo = new Date(Date.now() - 31 * 24 * 60 * 60 * 1000);
    await db.updateTable('licenses').set({ last_takeover_at: monthAgo }).where('id', '=', id).execute();
    await send(app, 'POST', '/api/licenses/deactivate', { key, deviceId: first.deviceId });

    const [a, b] = [hashDeviceId(pepper, first.deviceId), hashDeviceId(pepper, second.deviceId)];
    expect(await trail(id)).toEqual([
      { action: 'activation', actor: a, detail: null },
      { action: 'takeover', actor: b, detail: null },
      { action: 'deactivation', actor: b, detail: 'with device proof' },
      { action: 'activation', actor: a, detail: null },
      { action: 'deactivation', actor: a, detail: 'without device proof: counted as a takeover' },
    ]);
    const rows = JSON.stringify(
      await db.selectFrom('audit_log').selectAll().where('license_id', '=', id).execute(),
    );
    for (const secret of [key, first.deviceId, second.deviceId, 'Chrome on Linux', '0.1.0']) {
      expect(rows).not.toContain(secret);
    }
  });

  it('records refunds and disputes once each, including those delivered before the payment', async () => {
    const pi = `pi_audit_${database ? 'pg' : 'pglite'}`;
    const events = [
      event('charge.dispute.created', dispute(`dp_${pi}`, pi, 'needs_response')),
      event('checkout.session.completed', paidSession(`cs_${pi}`, pi)),
      event('charge.dispute.closed', dispute(`dp_${pi}`, pi, 'won')),
      event('charge.refunded', charge(`ch_${pi}`, pi)),
    ];
    for (const e of [...events, events[2]!]) expect((await stripe.deliver(e)).status).toBe(200);
    const { id } = await stripe.server.db
      .selectFrom('licenses')
      .select('id')
      .where('stripe_payment_intent', '=', pi)
      .executeTakeFirstOrThrow();
    expect(await trail(id)).toEqual([
      { action: 'dispute', actor: `stripe ${events[0]!.id}`, detail: 'dispute_open' },
      { action: 'dispute', actor: `stripe ${events[2]!.id}`, detail: 'dispute_won' },
      { action: 'refund', actor: `stripe ${events[3]!.id}`, detail: 'refunded' },
    ]);
  });

  it('records the deletion, is in the export until then, and refuses updates and deletes', async () => {
    const { app, db, pepper } = stripe.server;
    const { id, key } = await issueKey(db);
    const device = await makeDevice();
    await requestActivation(app, device, key);
    const authorised = { authorization: `Bearer ${key}` };
    const exported = (await (
      await send(app, 'GET', '/api/account/export', undefined, authorised)
    ).json()) as {
      audit: { action: string; actor: string; detail: string | null; at: string }[];
    };
    expect(exported.audit).toEqual([
      {
        action: 'activation',
        actor: hashDeviceId(pepper, device.deviceId),
        detail: null,
        at: expect.any(String),
      },
    ]);
    expect(Math.abs(Date.parse(exported.audit[0]!.at) - Date.now())).toBeLessThan(60_000);

    expect((await send(app, 'DELETE', '/api/account', undefined, authorised)).status).toBe(200);
    expect((await trail(id)).map((row) => [row.action, row.actor])).toEqual([
      ['activation', hashDeviceId(pepper, device.deviceId)],
      ['deletion', 'key holder'],
    ]);

    await expect(
      sql`update audit_log set actor = 'someone' where license_id = ${id}`.execute(db),
    ).rejects.toThrow(/append-only/);
    await expect(sql`delete from audit_log where license_id = ${id}`.execute(db)).rejects.toThrow(
      /append-only/,
    );
    expect(await trail(id)).toHaveLength(2);
  });
});
