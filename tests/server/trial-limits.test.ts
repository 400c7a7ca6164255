import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashDeviceId } from '../../server/crypto/device-pepper';
import { addressBlock } from '../../server/http/address-block';
import {
  allRows,
  makeDevice,
  send,
  startTestServer,
  testDatabases,
  type Device,
  type TestServer,
} from './harness';

const DAY = 24 * 60 * 60 * 1000;

describe('address blocks', () => {
  it('are the IPv4 /24 and the IPv6 /64, an IPv4-mapped address counting as IPv4', () => {
    expect(addressBlock('198.51.100.7')).toBe('198.51.100.0/24');
    expect(addressBlock('2001:db8:1:2::1')).toBe('2001:db8:1:2::/64');
    expect(addressBlock('2001:DB8:1:2:ffff:ffff:ffff:ffff')).toBe('2001:db8:1:2::/64');
    expect(addressBlock('::ffff:198.51.100.7')).toBe('198.51.100.0/24');
    expect(addressBlock('::1')).toBe('0:0:0:0::/64');
  });
});

describe.each(testDatabases())('trials on $name', ({ database }) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ database, limits: { trialsPerBlock: 3 } });
  });
  afterAll(async () => {
    await server?.db.destroy();
  });

  const requestTrial = async (device: Device, address: string) =>
    send(
      server.app,
      'POST',
      '/api/trial',
      { deviceId: device.deviceId, proof: await device.proof(server.app) },
      { 'x-forwarded-for': address },
    );
  const fresh = (count: number) => Promise.all(Array.from({ length: count }, () => makeDevice()));

  it('allows 3 new devices per IPv4 /24 per 30 days, not a 4th, and says when', async () => {
    const devices = await fresh(4);
    const statuses = [];
    for (const [i, device] of devices.entries()) {
      statuses.push((await requestTrial(device, `198.51.100.${i + 1}`)).status);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    const refused = await requestTrial(devices[3]!, '198.51.100.250');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(29 * 24 * 3600);
    const { error } = (await refused.json()) as { error: { code: string; retryAt: string } };
    expect(error.code).toBe('TRIAL_LIMIT');
    expect(Math.abs(Date.parse(error.retryAt) - (Date.now() + 30 * DAY))).toBeLessThan(60_000);

    // A device that has its trial keeps it from anywhere; another block has its own budget.
    const again = await requestTrial(devices[0]!, '198.51.100.9');
    expect(again.status).toBe(200);
    expect((await requestTrial(devices[3]!, '198.51.101.1')).status).toBe(200);
  });

  it('counts an IPv6 /64 as one block', async () => {
    const devices = await fresh(5);
    const addresses = ['2001:db8:7:1::1', '2001:db8:7:1::2', '2001:db8:7:1:ffff::9', '2001:db8:7:1::abcd'];
    const statuses = [];
    for (const [i, address] of addresses.entries())
      statuses.push((await requestTrial(devices[i]!, address)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect((await requestTrial(devices[4]!, '2001:db8:7:2::1')).status).toBe(200);
  });

  it('lets exactly 3 of 12 racing devices from one block in', async () => {
    const devices = await fresh(12);
    const proofs = await Promise.all(devices.map((device) => device.proof(server.app)));
    const responses = await Promise.all(
      devices.map((device, i) =>
        send(
          server.app,
          'POST',
          '/api/trial',
          { deviceId: device.deviceId, proof: proofs[i] },
          { 'x-forwarded-for': `203.0.113.${i + 1}` },
        ),
      ),
    );
    expect(responses.map((response) => response.status).sort()).toEqual([
      ...Array(3).fill(200),
      ...Array(9).fill(429),
    ]);
  });

  it('opens the block again once its trials are 30 days old, and forgets their block then', async () => {
    const devices = await fresh(4);
    for (const [i, device] of devices.slice(0, 3).entries()) {
      expect((await requestTrial(device, `192.0.2.${i + 1}`)).status).toBe(200);
    }
    expect((await requestTrial(devices[3]!, '192.0.2.100')).status).toBe(429);
    const hashes = devices.slice(0, 3).map((device) => hashDeviceId(server.pepper, device.deviceId));
    await server.db
      .updateTable('trials')
      .set({ started_at: new Date(Date.now() - 31 * DAY) })
      .where('device_hash', 'in', hashes)
      .execute();
    expect((await requestTrial(devices[3]!, '192.0.2.100')).status).toBe(200);
    const kept = await server.db
      .selectFrom('trials')
      .select('address_block_hash')
      .where('device_hash', 'in', hashes)
      .execute();
    expect(kept).toHaveLength(3);
    expect(kept.every((row) => row.address_block_hash === null)).toBe(true);
  });

  it('stores the block only as a keyed hash, never an address', async () => {
    await requestTrial(await makeDevice(), '198.18.7.42');
    const rows = await allRows(server.db);
    expect(rows).not.toContain('198.18.7');
    expect(rows).not.toContain('198.51.100');
  });
});
