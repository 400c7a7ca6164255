import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPreview } from '../../scripts/lib/preview';

/**
 * What `npm start` serves (scripts/serve.ts, here with --no-build after a fresh build): the production
 * app and the license API on the same origin, on an embedded PGlite database in a new data directory.
 */
describe('npm start', () => {
  let child: ChildProcess;
  let url: string;
  let dataDir: string;

  beforeAll(async () => {
    const { server } = await startPreview();
    await server.close();
    dataDir = mkdtempSync(join(tmpdir(), 'doppel-start-'));
    // Its own process group, so stopping it also stops tsx's node child.
    child = spawn('node_modules/.bin/tsx', ['scripts/serve.ts', '--no-build'], {
      env: { ...process.env, PORT: '0', DOPPEL_DATA_DIR: dataDir, NODE_ENV: 'development' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    url = await new Promise<string>((resolve, reject) => {
      let output = '';
      const read = (chunk: Buffer) => {
        output += chunk.toString();
        const found = /running at (http:\/\/localhost:\d+)\//.exec(output);
        if (found) resolve(found[1] as string);
      };
      child.stdout?.on('data', read);
      child.stderr?.on('data', read);
      child.once('exit', (code) => reject(new Error(`npm start exited with ${code}: ${output}`)));
    });
  });

  afterAll(() => {
    if (child?.pid) process.kill(-child.pid, 'SIGTERM');
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves the app and the license API together, with a database and keys made on first run', async () => {
    const page = await fetch(`${url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<div id="app"');
    const nonce = await fetch(`${url}/api/nonce`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(nonce.status).toBe(201);
    expect(((await nonce.json()) as { nonce: string }).nonce.length).toBeGreaterThan(20);
    const unknownKey = await fetch(`${url}/api/licenses/validate`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ key: 'not a key', deviceId: 'a'.repeat(64) }),
    });
    expect(unknownKey.status).toBe(400);
    expect(((await unknownKey.json()) as { error: { code: string } }).error.code).toBeTruthy();
    expect((await fetch(`${url}/.well-known/security.txt`)).status).toBe(200);
    for (const file of ['signing-key.pem', 'device-pepper', 'pglite']) {
      expect(existsSync(join(dataDir, file))).toBe(true);
    }
  });
});
