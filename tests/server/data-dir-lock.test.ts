import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/db/database';
import { DataDirLockedError, LOCK_FILE } from '../../server/db/data-dir-lock';

/**
 * One writer per PGlite directory, with real processes: the server, a second server and the
 * operator CLI (`node --import tsx`, so the pid spawned is the pid that holds the lock).
 */
const scratch = mkdtempSync(join(tmpdir(), 'doppel-lock-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function env(dataDir: string): NodeJS.ProcessEnv {
  return { ...process.env, NODE_ENV: 'development', PORT: '0', DOPPEL_DATA_DIR: dataDir };
}

function run(script: string, dataDir: string, args: string[] = []): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', script, ...args], {
    env: env(dataDir),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Waits for the process to exit: its code and everything it printed. */
function finished(child: ChildProcess): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
}

/** Starts server/main.ts and resolves with its base URL once it listens. */
function startServer(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = run('server/main.ts', dataDir);
  let output = '';
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const port = /http:\/\/localhost:(\d+)\/api/.exec(output)?.[1];
      if (port) resolve({ child, url: `http://127.0.0.1:${port}` });
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${output}`)));
  });
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.on('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

describe('a PGlite data directory', () => {
  const dataDir = join(scratch, 'shared');
  let server: { child: ChildProcess; url: string };
  beforeAll(async () => {
    server = await startServer(dataDir);
  }, 60_000);

  it('is locked by the running server, with its pid', () => {
    const holder = JSON.parse(readFileSync(join(dataDir, LOCK_FILE), 'utf8')) as { pid: number };
    expect(holder.pid).toBe(server.child.pid);
  });

  it('refuses a second server, clearly', async () => {
    const second = await finished(run('server/main.ts', dataDir));
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`in use by process ${server.child.pid}`);
  }, 60_000);

  it('refuses a second opener in this process too', async () => {
    await expect(openDatabase({ pgliteDir: dataDir })).rejects.toBeInstanceOf(DataDirLockedError);
  });

  it('makes license:issue refuse while the server runs, then work once it stopped', async () => {
    const args = ['--plan', 'pro', '--email', 'support@example.com'];
    const refused = await finished(run('server/cli/issue-license.ts', dataDir, args));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`in use by process ${server.child.pid}`);
    expect(refused.stdout).toBe('');

    await stop(server.child);
    expect(existsSync(join(dataDir, LOCK_FILE))).toBe(false);
    const issued = await finished(run('server/cli/issue-license.ts', dataDir, args));
    expect(issued.code, issued.stderr).toBe(0);
    const { key } = JSON.parse(issued.stdout) as { key: string };

    server = await startServer(dataDir);
    const response = await fetch(`${server.url}/api/licenses/validate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ key, deviceId: 'a'.repeat(64) }),
    });
    expect(await response.json()).toMatchObject({ valid: false, code: 'FINGERPRINT_SCOPE_MISMATCH' });
    await stop(server.child);
  }, 120_000);
});

describe('a lock left by a process that is gone', () => {
  it('is taken over, and released when the database closes', async () => {
    const dataDir = join(scratch, 'stale');
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    const lockPath = join(dataDir, LOCK_FILE);
    rmSync(dataDir, { recursive: true, force: true });
    await openDatabase({ pgliteDir: dataDir }).then((db) => db.destroy());
    writeFileSync(lockPath, JSON.stringify({ pid: dead, command: 'crashed', since: '2026-01-01' }));
    const db = await openDatabase({ pgliteDir: dataDir });
    expect(JSON.parse(readFileSync(lockPath, 'utf8'))).toMatchObject({ pid: process.pid });
    await db.destroy();
    expect(existsSync(lockPath)).toBe(false);
  }, 60_000);
});
