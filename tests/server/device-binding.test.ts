import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashDeviceId } from '../../server/crypto/device-pepper';
import { verifyLicenseFile } from '../../src/shared/license/verify-license-file';
import {
  issueKey,
  makeDevice,
  requestActivation,
  send,
  startTestServer,
  testDatabases,
  type Device,
  type TestServer,
} from './harness';

const DAY = 24 * 60 * 60 * 1000;

describe.each(testDatabases())('device binding on $name', ({ database }) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ database });
  });
  afterAll(async () => {
    await server?.db.destroy();
  });

  const deactivate = async (key: string, device: Device, withProof: boolean) =>
    send(server.app, 'POST', '/api/licenses/deactivate', {
      key,
      deviceId: device.deviceId,
      ...(withProof ? { proof: await device.proof(server.app) } : {}),
    });

  const license = (id: string) =>
    server.db.selectFrom('licenses').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const holders = (id: string) =>
    server.db.selectFrom('activations').selectAll().where('license_id', '=', id).execute();

  it('counts a deactivation without the device proof as a takeover: once per 30 days', async () => {
    const { id, key } = await issueKey(server.db);
    const [first, second] = [await makeDevice(), await makeDevice()];
    await requestActivation(server.app, first, key);

    const unproven = await deactivate(key, first, false);
    expect(unproven.status).toBe(200);
    expect(await holders(id)).toEqual([]);
    const { last_takeover_at } = await license(id);
    expect(Math.abs(last_takeover_at!.getTime() - Date.now())).toBeLessThan(60_000);

    expect((await requestActivation(server.app, second, key)).status).toBe(200);
    const again = await deactivate(key, second, false);
    expect(again.status).toBe(429);
    const { error } = (await again.json()) as { error: { code: string; retryAt: string } };
    expect(error.code).toBe('TAKEOVER_TOO_SOON');
    expect(Math.abs(Date.parse(error.retryAt) - (Date.now() + 30 * DAY))).toBeLessThan(60_000);
    expect(await holders(id)).toHaveLength(1);
    // The takeover it spent is gone for a takeover too.
    expect((await requestActivation(server.app, first, key, 'takeover')).status).toBe(429);

    expect((await deactivate(key, second, true)).status).toBe(200);
    expect(await holders(id)).toEqual([]);
  });

  it('stops a chain of devices at the second: 1 of 5 deactivations without proof goes through', async () => {
    const { key } = await issueKey(server.db);
    const statuses = [];
    for (let i = 0; i < 5; i++) {
      const device = await makeDevice();
      const activated = await requestActivation(server.app, device, key);
      if (activated.status !== 200) {
        statuses.push(activated.status);
        continue;
      }
      const { licenseFile } = (await activated.json()) as { licenseFile: string };
      const check = await verifyLicenseFile(licenseFile, {
        publicKey: server.publicKey,
        deviceId: device.deviceId,
      });
      expect(check.ok && Date.parse(check.license.expiry) - Date.now()).toBeLessThanOrEqual(7 * DAY);
      statuses.push((await deactivate(key, device, false)).status);
    }
    expect(statuses).toEqual([200, 429, 409, 409, 409]);
  });

  it('refuses a proof signed by another device, and leaves the activation in place', async () => {
    const { id, key } = await issueKey(server.db);
    const [holder, impostor] = [await makeDevice(), await makeDevice()];
    await requestActivation(server.app, holder, key);
    const response = await send(server.app, 'POST', '/api/licenses/deactivate', {
      key,
      deviceId: holder.deviceId,
      proof: await impostor.proof(server.app),
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: 'PROOF_INVALID' } });
    expect(await holders(id)).toHaveLength(1);
    expect((await license(id)).last_takeover_at).toBeNull();
  });

  it('does not spend the takeover on a device that does not hold the license', async () => {
    const { id, key } = await issueKey(server.db);
    await requestActivation(server.app, await makeDevice(), key);
    const response = await deactivate(key, await makeDevice(), false);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: 'NOT_ACTIVATED' } });
    expect((await license(id)).last_takeover_at).toBeNull();
  });

  it('renews a 7-day file on each check-in and records the check-in', async () => {
    const { id, key } = await issueKey(server.db);
    const device = await makeDevice();
    await requestActivation(server.app, device, key);
    const hour = new Date(Date.now() - 60 * 60 * 1000);
    await server.db
      .updateTable('activations')
      .set({ last_seen_at: hour })
      .where('license_id', '=', id)
      .execute();

    const response = await send(server.app, 'POST', '/api/licenses/validate', {
      key,
      deviceId: device.deviceId,
    });
    const { licenseFile } = (await response.json()) as { licenseFile: string };
    const check = await verifyLicenseFile(licenseFile, {
      publicKey: server.publicKey,
      deviceId: device.deviceId,
    });
    expect(check.ok && Math.abs(Date.parse(check.license.expiry) - (Date.now() + 7 * DAY))).toBeLessThan(
      60_000,
    );
    const [seen] = await holders(id);
    expect(seen!.last_seen_at.getTime()).toBeGreaterThan(hour.getTime() + 30 * 60 * 1000);
  });

  it('frees a device that stopped checking in for 8 days, without spending the takeover', async () => {
    const { id, key } = await issueKey(server.db);
    const [gone, recent, next] = [await makeDevice(), await makeDevice(), await makeDevice()];
    await requestActivation(server.app, gone, key);
    const setSeen = (daysAgo: number) =>
      server.db
        .updateTable('activations')
        .set({ last_seen_at: new Date(Date.now() - daysAgo * DAY) })
        .where('license_id', '=', id)
        .execute();

    await setSeen(7);
    expect((await requestActivation(server.app, recent, key)).status).toBe(409);
    await setSeen(8.01);
    expect((await requestActivation(server.app, recent, key)).status).toBe(200);
    const [holder] = await holders(id);
    expect(holder!.device_hash).toBe(hashDeviceId(server.pepper, recent.deviceId));
    expect((await license(id)).last_takeover_at).toBeNull();
    const validate = await send(server.app, 'POST', '/api/licenses/validate', {
      key,
      deviceId: gone.deviceId,
    });
    expect(await validate.json()).toMatchObject({ valid: false, code: 'FINGERPRINT_SCOPE_MISMATCH' });
    expect((await requestActivation(server.app, next, key)).status).toBe(409);
  });
});
