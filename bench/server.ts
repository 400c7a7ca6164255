/**
 * `npm run bench -- --server`: requests per second and p50/p99 latency of the license API's validate
 * and activate on loopback, on PGlite (a data directory, as `npm start` uses) and on PostgreSQL
 * (Debian's, started here; skipped with a note when it is not installed). The server runs in its own
 * process (bench/server/target.ts). Activate is measured as the app does it: each job fetches a
 * nonce, signs it with a fresh device key and activates a fresh license; its latency is the activate
 * request's alone, its rate counts whole activations. Prints one JSON document.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { startPostgresCluster } from '../tests/server/postgres-cluster';
import { makeDevice, type Device } from '../tests/server/harness';
import { runLoad, timed, type Job } from './server/load';

const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 16);
const durationMs = Number(process.env.BENCH_SECONDS ?? 10) * 1000;
/** Licenses made for the activate run (one per activation); it ends early if they run out. */
const activations = Number(process.env.BENCH_ACTIVATIONS ?? 1500);
/** Licenses held by the devices the validate run checks. */
const validating = 64;

async function startTarget(where: string) {
  const child = spawn('npx', ['tsx', 'bench/server/target.ts', where, String(activations + validating)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`benchmark server exited with ${code}`)));
  });
  const { port, keys } = JSON.parse(line) as { port: number; keys: string[] };
  const base = `http://127.0.0.1:${port}`;
  const stop = () => new Promise<void>((resolve) => (child.once('exit', () => resolve()), child.stdin.end()));
  return { base, keys, stop };
}

function post(base: string, path: string, body?: unknown) {
  return fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function activationBody(base: string, device: Device, key: string) {
  const { nonce } = (await (await post(base, '/api/nonce')).json()) as { nonce: string };
  return {
    key,
    deviceId: device.deviceId,
    label: 'Benchmark',
    appVersion: '0.1.0',
    proof: await device.sign(nonce),
  };
}

async function measure(where: string) {
  const target = await startTarget(where);
  try {
    const held = target.keys.slice(0, validating);
    const devices = await Promise.all(held.map(() => makeDevice()));
    for (const [i, key] of held.entries()) {
      const response = await post(
        target.base,
        '/api/licenses/activate',
        await activationBody(target.base, devices[i]!, key),
      );
      if (response.status !== 200) throw new Error(`setup activation answered ${response.status}`);
    }
    let turn = 0;
    const validate = await runLoad(concurrency, durationMs, () => {
      const i = turn++ % validating;
      return () =>
        timed(() =>
          post(target.base, '/api/licenses/validate', { key: held[i], deviceId: devices[i]!.deviceId }),
        );
    });
    const fresh = target.keys.slice(validating);
    const activate = await runLoad(concurrency, durationMs, (): Job | null => {
      const key = fresh.shift();
      if (!key) return null;
      return async () => {
        const body = await activationBody(target.base, await makeDevice(), key);
        return timed(() => post(target.base, '/api/licenses/activate', body));
      };
    });
    return { validate, activate };
  } finally {
    await target.stop();
  }
}

const pgliteDir = mkdtempSync(join(tmpdir(), 'doppel-bench-pglite-'));
const cluster = await startPostgresCluster();
try {
  const pglite = await measure(pgliteDir);
  const postgres = cluster ? await measure(cluster.url) : null;
  const report = {
    benchmark: 'license-server',
    note: 'loopback HTTP to @hono/node-server in a separate Node process; closed loop; activate latency is the activate request alone, its rate counts whole activations (nonce + signature + activate)',
    machine: { cpus: cpus().length, node: process.version },
    concurrency,
    seconds: durationMs / 1000,
    pglite,
    postgres: postgres ?? 'skipped: PostgreSQL is not installed (apt-get install postgresql)',
  };
  console.log(JSON.stringify(report, null, 2));
  const line = (name: string, figures: typeof pglite) =>
    `${name}: validate ${figures.validate.rps}/s p50 ${figures.validate.p50Ms} ms p99 ${figures.validate.p99Ms} ms; activate ${figures.activate.rps}/s p50 ${figures.activate.p50Ms} ms p99 ${figures.activate.p99Ms} ms`;
  console.log([line('PGlite', pglite), postgres && line('PostgreSQL', postgres)].filter(Boolean).join(' | '));
} finally {
  cluster?.stop();
  rmSync(pgliteDir, { recursive: true, force: true });
}
