import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/** Runs readOrCreateSecret in a process of its own; resolves with what it read. */
function readInProcess(dataDir: string): Promise<string> {
  const script = `import { readOrCreateSecret } from './server/crypto/dev-secrets.ts';
process.stdout.write(readOrCreateSecret(${JSON.stringify(dataDir)}, 'secret', () => 'made by ' + process.pid));`;
  return new Promise((resolve, reject) => {
    const child = spawn('npx', ['tsx', '--eval', script]);
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(err))));
  });
}

describe('development secrets', () => {
  it('processes starting together all read the one secret that was created, with no error', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'doppel-secrets-'));
    const read = await Promise.all(Array.from({ length: 6 }, () => readInProcess(dataDir)));
    const stored = readFileSync(join(dataDir, 'secret'), 'utf8');
    expect(stored).toMatch(/^made by \d+$/);
    expect(read).toEqual(read.map(() => stored));
    expect(readdirSync(dataDir).filter((f) => f.startsWith('secret'))).toEqual(['secret']);
  });
});
