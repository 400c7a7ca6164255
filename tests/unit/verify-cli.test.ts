import { generateKeyPairSync } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, test } from 'vitest';
import { bytesToBase64 } from '../../src/shared/bytes';
import { rawPublicKey } from '../../scripts/lib/signing-key';

const { privateKey } = generateKeyPairSync('ed25519');
const signingKey = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
const publicKey = bytesToBase64(rawPublicKey(privateKey));
const work = mkdtempSync(join(tmpdir(), 'doppel-verify-'));
const dist = join(work, 'dist');

/** `npm run verify -- ARGS`; `direct` skips npm (and ensure-deps) to save a second per call. */
function verify(args: string[], env: NodeJS.ProcessEnv = {}, direct = false) {
  const [command, ...prefix] = direct
    ? [process.execPath, '--import', 'tsx', 'scripts/verify.ts']
    : ['npm', 'run', '--silent', 'verify', '--'];
  const run = spawnSync(command as string, [...prefix, ...args], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, DOPPEL_PUBLIC_KEY: '', ...env },
  });
  return { status: run.status, stdout: run.stdout.trim(), stderr: run.stderr.trim() };
}

describe('npm run verify', () => {
  beforeAll(() => {
    // A real production build into a temp dir, signed with a throwaway key from the environment.
    const build = spawnSync(
      'npx',
      ['vite', 'build', '--outDir', dist, '--emptyOutDir', '--logLevel', 'info'],
      {
        encoding: 'utf8',
        timeout: 120_000,
        env: { ...process.env, DOPPEL_SIGNING_KEY: signingKey },
      },
    );
    expect(build.status, build.stderr).toBe(0);
    expect(build.stdout).toMatch(
      /build-manifest\.json: \d+ files signed with DOPPEL_SIGNING_KEY, public key /,
    );
  }, 150_000);

  test('a fresh build passes, trusting the key in the manifest or pinned to ours', () => {
    const tofu = verify([dist]);
    expect(tofu.status, tofu.stdout + tofu.stderr).toBe(0);
    expect(tofu.stdout).toContain('trust on first use');
    expect(tofu.stdout.split('\n').at(-1)).toMatch(/^OK: signature valid; all \d+ files match/);
    const manifest = JSON.parse(readFileSync(join(dist, 'build-manifest.json'), 'utf8'));
    expect(manifest.files.map((f: { path: string }) => f.path)).toEqual(
      expect.arrayContaining(['index.html', 'verify.html', '.well-known/security.txt']),
    );

    expect(verify([dist, '--public-key', publicKey], {}, true).status).toBe(0);
    const pinnedByEnv = verify([dist], { DOPPEL_PUBLIC_KEY: publicKey }, true);
    expect(pinnedByEnv.status).toBe(0);
    expect(pinnedByEnv.stdout).toContain('(pinned)');
  }, 60_000);

  test('one byte changed in one file of a copy fails, naming the file; an extra file fails too', () => {
    const copy = join(work, 'changed');
    cpSync(dist, copy, { recursive: true });
    const target = join(copy, 'index.html');
    const bytes = readFileSync(target);
    bytes[20] = bytes[20]! ^ 1;
    writeFileSync(target, bytes);
    const changed = verify([copy]);
    expect(changed.status).toBe(1);
    expect(changed.stdout).toMatch(/^index\.html: SHA-256 [0-9a-f]{64}, expected [0-9a-f]{64}$/m);
    expect(changed.stdout.split('\n').at(-1)).toMatch(/^FAILED: 1 problem\(s\); signature valid/);

    const extra = join(work, 'extra');
    cpSync(dist, extra, { recursive: true });
    writeFileSync(join(extra, 'assets', 'injected.js'), 'fetch("https://evil.example")');
    const added = verify([extra], {}, true);
    expect(added.status).toBe(1);
    expect(added.stdout).toContain('assets/injected.js: present but not listed in the manifest');
  }, 60_000);

  test('a different pinned key fails; usage errors exit 2', () => {
    const other = bytesToBase64(rawPublicKey(generateKeyPairSync('ed25519').privateKey));
    const wrong = verify([dist, '--public-key', other], {}, true);
    expect(wrong.status).toBe(1);
    expect(wrong.stdout).toContain('signature: not a valid Ed25519 signature');
    expect(verify([]).status).toBe(2);
    expect(verify([dist, '--public-key', 'xyz'], {}, true).status).toBe(2);
    expect(verify([join(work, 'no-such-dir')], {}, true).status).toBe(2);
    expect(verify([dist, '--bogus'], {}, true).status).toBe(2);
  }, 60_000);
});
