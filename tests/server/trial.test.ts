import { beforeAll, describe, expect, it } from 'vitest';
import { verifyLicenseFile } from '../../src/shared/license/verify-license-file';
import { makeDevice, send, startTestServer, type Device, type TestServer } from './harness';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});

const DAY = 24 * 60 * 60 * 1000;

async function requestTrial(device: Device) {
  return send(server.app, 'POST', '/api/trial', {
    deviceId: device.deviceId,
    proof: await device.proof(server.app),
  });
}

describe('trial', () => {
  it('gives a 7-day trial file for this device', async () => {
    const device = await makeDevice('P-256', 'spki');
    const response = await requestTrial(device);
    expect(response.status).toBe(200);
    const { licenseFile, endsAt } = (await response.json()) as { licenseFile: string; endsAt: string };
    expect(Math.abs(Date.parse(endsAt) - (Date.now() + 7 * DAY))).toBeLessThan(60_000);
    const check = await verifyLicenseFile(licenseFile, {
      publicKey: server.publicKey,
      deviceId: device.deviceId,
    });
    expect(check.ok && [check.license.plan, check.license.expiry]).toEqual(['trial', endsAt]);
  });

  it('is once per device: asking again keeps the end date, and after it ends the answer is TRIAL_USED', async () => {
    const device = await makeDevice();
    const first = (await (await requestTrial(device)).json()) as { endsAt: string };
    const second = (await (await requestTrial(device)).json()) as { endsAt: string };
    expect(second.endsAt).toBe(first.endsAt);
    expect(await server.db.selectFrom('trials').selectAll().execute()).toHaveLength(2);

    await server.db
      .updateTable('trials')
      .set({ expires_at: new Date(Date.now() - 1000) })
      .execute();
    const after = await requestTrial(device);
    expect(after.status).toBe(409);
    expect(await after.json()).toMatchObject({ error: { code: 'TRIAL_USED' } });
    expect((await requestTrial(await makeDevice())).status).toBe(200);
  });
});
