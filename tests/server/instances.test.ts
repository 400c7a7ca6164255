import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { openDatabase, type Db } from '../../server/db/database';
import { generateLicenseKey } from '../../server/licensing/license-key';
import { instancesArgument } from '../../server/instances';
import { issueKey, makeDevice } from './harness';
import { startServerProcess, type ServerProcess } from './server-process';

/**
 * Two server processes on one PostgreSQL database, as `--instances 2` or two hosts run them:
 * activation races and rate limits hold across them.
 */
const url = inject('postgresUrl');

describe('--instances', () => {
  it('takes a whole number from 1 to 64', () => {
    expect(instancesArgument([])).toBe(1);
    expect(instancesArgument(['--instances', '4'])).toBe(4);
    for (const bad of [
      ['--instances'],
      ['--instances', '0'],
      ['--instances', '2.5'],
      ['--instances', '65'],
    ]) {
      expect(() => instancesArgument(bad)).toThrow('--instances');
    }
  });
});

describe.skipIf(!url)('two server processes on PostgreSQL', () => {
  let db: Db;
  let servers: ServerProcess[];
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    db = await openDatabase({ url });
    env = {
      DATABASE_URL: url,
      DOPPEL_DATA_DIR: mkdtempSync(join(tmpdir(), 'doppel-instances-')),
      DOPPEL_RATE_LIMIT_PER_IP: '200',
      DOPPEL_RATE_LIMIT_PER_KEY: '1000000',
    };
    servers = await Promise.all([startServerProcess(env), startServerProcess(env)]);
  }, 60_000);
  afterAll(async () => {
    for (const server of servers ?? []) {
      server.child.kill('SIGTERM');
      await server.exited;
    }
    await db?.destroy();
    rmSync(env.DOPPEL_DATA_DIR!, { recursive: true, force: true });
  });

  const post = (server: ServerProcess, path: string, body?: unknown) =>
    fetch(`${server.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  async function race(key: string, route: 'activate' | 'takeover', count: number) {
    const devices = await Promise.all(Array.from({ length: count }, () => makeDevice()));
    const bodies = await Promise.all(
      devices.map(async (device, i) => {
        const nonce = (await (await post(servers[i % 2]!, '/api/nonce')).json()) as { nonce: string };
        return {
          key,
          deviceId: device.deviceId,
          label: 'Race',
          appVersion: '0.1.0',
          proof: await device.sign(nonce.nonce),
        };
      }),
    );
    const responses = await Promise.all(
      bodies.map((body, i) => post(servers[i % 2]!, `/api/licenses/${route}`, body)),
    );
    return responses.map((response) => response.status).sort();
  }

  const holders = async (licenseId: string) =>
    (await db.selectFrom('activations').select('device_hash').where('license_id', '=', licenseId).execute())
      .length;

  it('lets exactly 1 of 50 activations spread over both in', async () => {
    const { id, key } = await issueKey(db);
    expect(await race(key, 'activate', 50)).toEqual([200, ...Array(49).fill(409)]);
    expect(await holders(id)).toBe(1);
  }, 60_000);

  it('lets exactly 1 of 10 takeovers spread over both win', async () => {
    const { id, key } = await issueKey(db);
    expect(await race(key, 'activate', 1)).toEqual([200]);
    expect(await race(key, 'takeover', 10)).toEqual([200, ...Array(9).fill(429)]);
    expect(await holders(id)).toBe(1);
  }, 60_000);

  it('spends one per-address budget on both: 200 of 220 requests split between them go through', async () => {
    const responses = await Promise.all(
      Array.from({ length: 220 }, (_, i) =>
        post(servers[i % 2]!, '/api/licenses/validate', {
          key: generateLicenseKey(),
          deviceId: 'c'.repeat(64),
        }),
      ),
    );
    const statuses = responses.map((response) => response.status);
    expect(statuses.filter((status) => status === 200)).toHaveLength(200);
    expect(statuses.filter((status) => status === 429)).toHaveLength(20);
  });

  it('runs --instances 2 as two processes that each serve', async () => {
    const cluster = await startServerProcess(
      { ...env, DOPPEL_RATE_LIMIT_PER_IP: '1000' },
      ['--instances', '2'],
      2,
    );
    try {
      expect(new Set(cluster.pids).size).toBe(2);
      expect(cluster.pids).not.toContain(cluster.child.pid);
      const response = await post(cluster, '/api/licenses/validate', {
        key: generateLicenseKey(),
        deviceId: 'd'.repeat(64),
      });
      expect(await response.json()).toMatchObject({ valid: false, code: 'NOT_FOUND' });
    } finally {
      cluster.child.kill('SIGTERM');
      expect(await cluster.exited).toBe(0);
    }
  }, 60_000);

  it('refuses --instances 2 on PGlite', async () => {
    await expect(
      startServerProcess({ DOPPEL_DATA_DIR: '/nonexistent/doppel' }, ['--instances', '2']),
    ).rejects.toThrow(/--instances needs DATABASE_URL/);
  });
});
