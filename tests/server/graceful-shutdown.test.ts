import { Agent } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { openDatabase, type DatabaseTarget } from '../../server/db/database';
import { post, startServerProcess, type Outcome } from './server-process';

/**
 * SIGTERM in the middle of a burst of writes (POST /api/nonce stores a row before it answers 201):
 * every request the server took is answered, the ones sent after it stopped listening are refused at
 * connect (a load balancer retries those elsewhere), and every nonce it acknowledged is in the
 * database afterwards.
 */
const scratch = mkdtempSync(join(tmpdir(), 'doppel-sigterm-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const url = inject('postgresUrl');

const targets: {
  name: string;
  env: NodeJS.ProcessEnv;
  database: DatabaseTarget;
  args: string[];
  instances: number;
}[] = [
  {
    name: 'PGlite',
    env: { DOPPEL_DATA_DIR: join(scratch, 'data') },
    database: { pgliteDir: join(scratch, 'data') },
    args: [],
    instances: 1,
  },
  ...(url
    ? [
        {
          name: 'PostgreSQL',
          env: { DATABASE_URL: url, DOPPEL_DATA_DIR: join(scratch, 'secrets') },
          database: { url },
          args: [],
          instances: 1,
        },
        {
          name: 'PostgreSQL, 2 instances',
          env: { DATABASE_URL: url, DOPPEL_DATA_DIR: join(scratch, 'secrets') },
          database: { url },
          args: ['--instances', '2'],
          instances: 2,
        },
      ]
    : []),
];

const BURST = 300;
const CONNECTIONS = 16;

describe.each(targets)('SIGTERM during a burst on $name', ({ env, database, args, instances }) => {
  it('fails no request and loses no acknowledged write', async () => {
    const server = await startServerProcess({ ...env, DOPPEL_RATE_LIMIT_PER_IP: '1000000' }, args, instances);
    const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
    const warmUp = await Promise.all(
      Array.from({ length: CONNECTIONS }, () => post(agent, server.port, '/api/nonce')),
    );
    expect(warmUp.map((outcome) => ('status' in outcome ? outcome.status : outcome.error))).toEqual(
      Array(CONNECTIONS).fill(201),
    );

    let answered = 0;
    let answeredAfterSignal = 0;
    let signalled = false;
    const burst = await Promise.all(
      Array.from({ length: BURST }, async (): Promise<Outcome> => {
        const outcome = await post(agent, server.port, '/api/nonce');
        if ('status' in outcome) {
          if (signalled) answeredAfterSignal++;
          if (++answered === 20) {
            signalled = true;
            server.child.kill('SIGTERM');
          }
        }
        return outcome;
      }),
    );
    expect(await server.exited, server.output()).toBe(0);
    agent.destroy();

    const failures = burst.filter((outcome) =>
      'status' in outcome ? outcome.status !== 201 : outcome.error !== 'ECONNREFUSED',
    );
    expect(failures).toEqual([]);
    expect(answeredAfterSignal).toBeGreaterThan(0);
    const acknowledged = [...warmUp, ...burst].flatMap((outcome) =>
      'status' in outcome ? [(JSON.parse(outcome.body) as { nonce: string }).nonce] : [],
    );
    const db = await openDatabase(database);
    try {
      const stored = await db
        .selectFrom('nonces')
        .select('nonce')
        .where('nonce', 'in', acknowledged)
        .execute();
      expect(stored).toHaveLength(acknowledged.length);
    } finally {
      await db.destroy();
    }
  }, 120_000);
});
