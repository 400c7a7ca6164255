import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServe, type ServeProcess } from './serve-process';

/**
 * What `npm start` serves (scripts/serve.ts, here with --no-build after a fresh build): the production
 * app and the license API on the same origin, on an embedded PGlite database in a new data directory.
 */
describe('npm start', () => {
  let serve: ServeProcess;
  let url: string;
  let dataDir: string;

  beforeAll(async () => {
    serve = await startServe('start');
    ({ url, dataDir } = serve);
  });

  afterAll(() => serve?.stop());

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
    expect(((await unknownKey.json()) as { error: { code: string } }).error.code).toBe('INVALID_REQUEST');
    expect((await fetch(`${url}/.well-known/security.txt`)).status).toBe(200);
    for (const file of ['signing-key.pem', 'device-pepper', 'pglite']) {
      expect(existsSync(join(dataDir, file))).toBe(true);
    }
  });

  it('serves no test harness: /automation.html is only the app', async () => {
    const page = await fetch(`${url}/automation.html`);
    expect(await page.text()).not.toContain('automation');
  });

  it('ships each wasm binary once, under /wasm/ where the engine loads it', () => {
    const manifest = JSON.parse(readFileSync('dist/build-manifest.json', 'utf8')) as {
      files: { path: string }[];
    };
    const wasm = manifest.files.map((f) => f.path).filter((path) => path.endsWith('.wasm'));
    expect(wasm.filter((path) => !path.startsWith('wasm/'))).toEqual([]);
    expect(wasm).toContain('wasm/ort-wasm-simd-threaded.asyncify.wasm');
    expect(wasm).toContain('wasm/tfjs-backend-wasm-threaded-simd.wasm');
  });
});
