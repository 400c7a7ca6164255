import { beforeAll, describe, expect, it } from 'vitest';
import { generateLicenseKey } from '../../server/licensing/license-key';
import { issueKey, makeDevice, send, startTestServer, type TestServer } from './harness';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ limits: { perIp: 3, perKey: 2 } });
});

describe('rate limits', () => {
  it('per client address: 429 with Retry-After', async () => {
    const address = { 'x-forwarded-for': '192.0.2.7' };
    const body = () => ({ key: generateLicenseKey(), deviceId: 'a'.repeat(64) });
    const statuses = [];
    for (let i = 0; i < 4; i++) {
      statuses.push((await send(server.app, 'POST', '/api/licenses/validate', body(), address)).status);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    const limited = await send(server.app, 'POST', '/api/licenses/validate', body(), address);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(await limited.json()).toMatchObject({ error: { code: 'RATE_LIMITED' } });
    expect((await send(server.app, 'POST', '/api/licenses/validate', body())).status).toBe(200);
  });

  it('per license key, whatever the address', async () => {
    const { key } = await issueKey(server.db);
    const body = { key, deviceId: 'b'.repeat(64) };
    const statuses = [];
    for (let i = 0; i < 3; i++)
      statuses.push((await send(server.app, 'POST', '/api/licenses/validate', body)).status);
    expect(statuses).toEqual([200, 200, 429]);
  });

  it('per device on the trial', async () => {
    const device = await makeDevice();
    const statuses = [];
    for (let i = 0; i < 3; i++) {
      const body = { deviceId: device.deviceId, proof: await device.proof(server.app) };
      statuses.push((await send(server.app, 'POST', '/api/trial', body)).status);
    }
    expect(statuses).toEqual([200, 200, 429]);
  });
});
