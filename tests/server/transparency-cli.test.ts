import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSigningKeyPem, parseSigningKey, publicKeySpkiBase64 } from '../../server/crypto/signing-key';
import { startServerProcess, type ServerProcess } from './server-process';

/** `npm run verify -- --transparency URL` against a real server process, and against a tampering proxy. */
function verify(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      'node_modules/.bin/tsx',
      ['scripts/verify.ts', ...args],
      { env: { ...process.env, DOPPEL_LICENSE_PUBLIC_KEY: '' } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}

describe('npm run verify -- --transparency', () => {
  let server: ServerProcess;
  let proxy: Server;
  let proxyUrl: string;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'doppel-transparency-cli-'));
    server = await startServerProcess({ DOPPEL_DATA_DIR: dataDir });
    // Passes everything through, but edits one row count in the reports it relays.
    proxy = createServer((req, res) => {
      void fetch(`${server.url}${req.url}`).then(async (upstream) => {
        const body = await upstream.text();
        res.writeHead(upstream.status, { 'content-type': 'application/json' });
        res.end(
          req.url?.startsWith('/api/transparency') ? body.replace(/\\"rows\\":0/, '\\"rows\\":7') : body,
        );
      });
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const address = proxy.address();
    proxyUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(async () => {
    proxy?.close();
    server?.child.kill('SIGTERM');
    await server?.exited;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('exits 0 for the chain a server signs, printing what it stores', async () => {
    const result = await verify('--transparency', `${server.url}/`);
    expect(result.stdout).toMatch(/^OK: 1 report\(s\), 1 to 1: every signature valid/m);
    expect(result.stdout).toContain('trust on first use');
    expect(result.stdout).toMatch(/^ {2}audit_log: \d+ rows/m);
    expect(result.code).toBe(0);

    const key = ((await (await fetch(`${server.url}/api/license-public-key`)).json()) as { spki: string })
      .spki;
    const pinned = await verify('--transparency', `${server.url}/api/transparency`, '--public-key', key);
    expect(pinned.stdout).toContain('(pinned)');
    expect(pinned.code).toBe(0);

    const known = /--known (\d+:[0-9a-f]{64})/.exec(result.stdout)![1]!;
    const again = await verify('--transparency', server.url, '--known', known);
    expect(again.stdout).toContain('report 1 as verified before');
    expect(again.code).toBe(0);
  });

  it('exits 1 with the reason for a tampered report or another key', async () => {
    const tampered = await verify('--transparency', proxyUrl);
    expect(tampered.stdout).toContain(
      "FAILED: report 1 does not carry the license server's signature: it was changed after signing",
    );
    expect(tampered.code).toBe(1);

    const other = publicKeySpkiBase64(parseSigningKey(generateSigningKeyPem()));
    const wrongKey = await verify('--transparency', server.url, '--public-key', other);
    expect(wrongKey.stdout).toContain('(BAD_SIGNATURE)');
    expect(wrongKey.code).toBe(1);

    const otherHistory = await verify('--transparency', server.url, '--known', `1:${'0'.repeat(64)}`);
    expect(otherHistory.stdout).toContain(
      "FAILED: report 1 is not the one verified before: the server's earlier reports were rewritten (REWRITTEN)",
    );
    expect(otherHistory.code).toBe(1);
  });

  it('exits 2 on a usage error', async () => {
    const result = await verify('--transparency', 'ftp://example.com');
    expect(result.stderr).toContain('is not an http(s) URL');
    expect(result.code).toBe(2);
    const badKnown = await verify('--transparency', server.url, '--known', 'latest');
    expect(badKnown.stderr).toContain('--known is SEQ:HASH');
    expect(badKnown.code).toBe(2);
  });
});
