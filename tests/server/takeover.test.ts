import { beforeAll, describe, expect, it } from 'vitest';
import {
  activationBody,
  issueKey,
  makeDevice,
  send,
  startTestServer,
  type TestServer,
  requestActivation,
} from './harness';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});

const DAY = 24 * 60 * 60 * 1000;

async function holderOf(licenseId: string) {
  return server.db
    .selectFrom('activations')
    .select('device_hash')
    .where('license_id', '=', licenseId)
    .execute();
}

describe('takeover', () => {
  it('moves the license to a new device, then refuses another move for 30 days with the date', async () => {
    const { id, key } = await issueKey(server.db);
    const [first, second, third] = [await makeDevice(), await makeDevice(), await makeDevice()];
    await requestActivation(server.app, first, key);
    const before = await holderOf(id);

    const moved = await requestActivation(server.app, second, key, 'takeover');
    expect(moved.status).toBe(200);
    const after = await holderOf(id);
    expect(after).toHaveLength(1);
    expect(after[0]!.device_hash).not.toBe(before[0]!.device_hash);

    const tooSoon = await requestActivation(server.app, third, key, 'takeover');
    expect(tooSoon.status).toBe(429);
    const retryAfter = Number(tooSoon.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(29 * 24 * 3600);
    const { error } = (await tooSoon.json()) as { error: { code: string; retryAt: string } };
    expect(error.code).toBe('TAKEOVER_TOO_SOON');
    expect(Math.abs(Date.parse(error.retryAt) - (Date.now() + 30 * DAY))).toBeLessThan(60_000);

    await server.db
      .updateTable('licenses')
      .set({ last_takeover_at: new Date(Date.now() - 31 * DAY) })
      .where('id', '=', id)
      .execute();
    const later = await requestActivation(server.app, third, key, 'takeover');
    expect(later.status).toBe(200);
  });

  it('from the holding device, or with no holder, is a plain activation and uses no takeover', async () => {
    const { id, key } = await issueKey(server.db);
    const device = await makeDevice();
    for (let i = 0; i < 2; i++) {
      const response = await requestActivation(server.app, device, key, 'takeover');
      expect(response.status).toBe(200);
    }
    const license = await server.db
      .selectFrom('licenses')
      .select('last_takeover_at')
      .where('id', '=', id)
      .executeTakeFirst();
    expect(license?.last_takeover_at).toBeNull();
  });

  it('lets one of two racing takeovers win', async () => {
    const { id, key } = await issueKey(server.db);
    const [holder, a, b] = [await makeDevice(), await makeDevice(), await makeDevice()];
    await requestActivation(server.app, holder, key);
    const bodies = [await activationBody(server.app, a, key), await activationBody(server.app, b, key)];
    const responses = await Promise.all(
      bodies.map((body) => send(server.app, 'POST', '/api/licenses/takeover', body)),
    );
    expect(responses.map((response) => response.status).sort()).toEqual([200, 429]);
    expect(await holderOf(id)).toHaveLength(1);
  });
});
