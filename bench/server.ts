/**
 * `npm run bench -- --server`: requests per second and p50/p99 latency of the license API's validate
 * and activate on loopback, at concurrency 10 and 50, on PGlite (a data directory, as `npm start`
 * uses) and on PostgreSQL (Debian's, started here; skipped with a note when it is not installed) as 1
 * and as 2 instances (node:cluster workers sharing the port). The server runs in its own
 * process(es) (bench/server/target.ts); this process is the load generator. Activate is measured as
 * the app does it: each job fetches a nonce, signs it with a fresh device key and activates a fresh
 * license; its latency is the activate request's alone, its rate counts whole activations. Prints one
 * JSON document and a summary line. Timings are reported, never asserted.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { startPostgresCluster } from '../tests/server/postgres-cluster';
import { makeDevice, type Device } from '../tests/server/harness';
import { runLoad, timed, type Job, type LoadFigures } from './server/load';

const concurrencies = [10, 50];
const durationMs = Number(process.env.BENCH_SECONDS ?? 10) * 1000;
/** Licenses made for each activate run (one per activation); a run ends early if they run out. */
const activations = Number(process.env.BENCH_ACTIVATIONS ?? 1500);
/** Licenses held by the devices the validate runs check. */
const validating = 64;

async function startTarget(where: string, instances: number) {
  const licenses = activations * concurrencies.length + validating;
  const child = spawn('npx', ['tsx', 'bench/server/target.ts', where, String(licenses), String(instances)], {
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

type Figures = Record<string, { validate: LoadFigures; activate: LoadFigures }>;

async function measure(where: string, instances: number): Promise<Figures> {
  const target = await startTarget(where, instances);
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
    const fresh = target.keys.slice(validating);
    const figures: Figures = {};
    for (const concurrency of concurrencies) {
      let turn = 0;
      const validate = await runLoad(concurrency, durationMs, () => {
        const i = turn++ % validating;
        return () =>
          timed(() =>
            post(target.base, '/api/licenses/validate', { key: held[i], deviceId: devices[i]!.deviceId }),
          );
      });
      const batch = fresh.splice(0, activations);
      const activate = await runLoad(concurrency, durationMs, (): Job | null => {
        const key = batch.shift();
        if (!key) return null;
        return async () => {
          const body = await activationBody(target.base, await makeDevice(), key);
          return timed(() => post(target.base, '/api/licenses/activate', body));
        };
      });
      figures[`concurrency${concurrency}`] = { validate, activate };
    }
    return figures;
  } finally {
    await target.stop();
  }
}

const pgliteDir = mkdtempSync(join(tmpdir(), 'doppel-bench-pglite-'));
const cluster = await startPostgresCluster();
try {
  const setups: Record<string, Figures | string> = { pglite: await measure(pgliteDir, 1) };
  const skipped = 'skipped: PostgreSQL is not installed (apt-get install postgresql)';
  setups.postgres1Instance = cluster ? await measure(cluster.url, 1) : skipped;
  setups.postgres2Instances = cluster ? await measure(cluster.url, 2) : skipped;
  const report = {
    benchmark: 'license-server',
    note: 'loopback HTTP to @hono/node-server in separate Node process(es); closed loop from this process; activate latency is the activate request alone, its rate counts whole activations (nonce + signature + activate)',
    machine: { cpus: cpus().length, node: process.version },
    seconds: durationMs / 1000,
    ...setups,
  };
  console.log(JSON.stringify(report, null, 2));
  const summary = Object.entries(setups).flatMap(([name, figures]) =>
    typeof figures === 'string'
      ? [`${name}: ${figures}`]
      : Object.entries(figures).map(
          ([c, { validate, activate }]) =>
            `${name} ${c}: validate ${validate.rps}/s p50 ${validate.p50Ms} p99 ${validate.p99Ms} ms; activate ${activate.rps}/s p50 ${activate.p50Ms} p99 ${activate.p99Ms} ms`,
        ),
  );
  console.log(summary.join(' | '));
} finally {
  cluster?.stop();
  rmSync(pgliteDir, { recursive: true, force: true });
}
