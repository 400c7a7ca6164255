import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { send, startTestServer, type TestServer } from './harness';

/** Rate limits live in the database: one budget for every instance, kept across restarts. */
const limits = { perIp: 4, perKey: 1000 };
const nonceFrom = (server: TestServer, address: string) =>
  send(server.app, 'POST', '/api/nonce', undefined, { 'x-forwarded-for': address });

const url = inject('postgresUrl');

describe.skipIf(!url)('on PostgreSQL', () => {
  it('is one budget for two instances, and a restarted instance still sees it spent', async () => {
    const pepper = randomBytes(32);
    const a = await startTestServer({ database: { url }, limits, pepper });
    let b = await startTestServer({ database: { url }, limits, pepper });
    try {
      const address = '198.51.100.10';
      const statuses = [];
      for (const server of [a, b, a, b, b]) statuses.push((await nonceFrom(server, address)).status);
      expect(statuses).toEqual([201, 201, 201, 201, 429]);
      expect((await nonceFrom(a, address)).status).toBe(429);
      await b.db.destroy();
      b = await startTestServer({ database: { url }, limits, pepper });
      const limited = await nonceFrom(b, address);
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect((await nonceFrom(b, '198.51.100.11')).status).toBe(201);
    } finally {
      await a.db.destroy();
      await b.db.destroy();
    }
  });
});

describe('on a PGlite directory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'doppel-limits-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('still sees a spent budget after a restart', async () => {
    const pepper = randomBytes(32);
    const first = await startTestServer({ database: { pgliteDir: dir }, limits, pepper });
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await nonceFrom(first, '198.51.100.20')).status);
    expect(statuses).toEqual([201, 201, 201, 201, 429]);
    await first.db.destroy();
    const restarted = await startTestServer({ database: { pgliteDir: dir }, limits, pepper });
    try {
      expect((await nonceFrom(restarted, '198.51.100.20')).status).toBe(429);
    } finally {
      await restarted.db.destroy();
    }
  }, 120_000);
});

describe('behind a proxy, over real HTTP', () => {
  const servers: { http: ServerType; test: TestServer }[] = [];
  afterAll(async () => {
    for (const { http, test } of servers) {
      http.close();
      await test.db.destroy();
    }
  });

  async function listen(trustedProxies: number): Promise<string> {
    const test = await startTestServer({ limits, trustedProxies });
    return new Promise((resolve) => {
      const http = serve({ fetch: test.app.fetch, port: 0, hostname: '127.0.0.1' }, (info) =>
        resolve(`http://127.0.0.1:${info.port}`),
      );
      servers.push({ http, test });
    });
  }

  const spoofed = (base: string, forwardedFor: string) =>
    fetch(`${base}/api/nonce`, { method: 'POST', headers: { 'x-forwarded-for': forwardedFor } });

  it('counts the rightmost hop its one trusted proxy wrote, whatever the client put left of it', async () => {
    const base = await listen(1);
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await spoofed(base, `10.9.8.${i}, 203.0.113.50`)).status);
    expect(statuses).toEqual([201, 201, 201, 201, 429, 429]);
    expect((await spoofed(base, '10.9.8.1, 203.0.113.51')).status).toBe(201);
  });

  it('ignores X-Forwarded-For with no trusted proxy: the socket address counts', async () => {
    const base = await listen(0);
    const statuses = [];
    for (let i = 0; i < 6; i++) statuses.push((await spoofed(base, `10.9.7.${i}`)).status);
    expect(statuses).toEqual([201, 201, 201, 201, 429, 429]);
  });

  it('with two trusted proxies, skips both hops they wrote', async () => {
    const base = await listen(2);
    const statuses = [];
    for (let i = 0; i < 5; i++) {
      statuses.push((await spoofed(base, `10.9.6.${i}, 203.0.113.60, 192.0.2.1`)).status);
    }
    expect(statuses).toEqual([201, 201, 201, 201, 429]);
    expect((await spoofed(base, '203.0.113.61, 192.0.2.1')).status).toBe(201);
  });
});
