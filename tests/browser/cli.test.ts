import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { launchChromium } from './chromium';
import { startDevServer } from './dev-server';
import { distance, nearest, recogniseFaces } from './face-recognition';
import { badInputs } from '../fixtures/bad-inputs';
import { samplePath } from '../fixtures/samples';

function swapCli(args: string[]) {
  const run = spawnSync('npx', ['tsx', 'scripts/swap.ts', ...args], { encoding: 'utf8', timeout: 300_000 });
  return { status: run.status, stdout: run.stdout.trim(), stderr: run.stderr.trim() };
}

describe('npm run swap', () => {
  test('a folder of targets (good and bad files): one JSON line per file with its error code; swapped faces move towards the source identity', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'doppel-cli-'));
    const targets = join(dir, 'targets');
    const out = join(dir, 'out');
    spawnSync('mkdir', ['-p', targets]);
    copyFileSync(samplePath(6), join(targets, 'party.jpg'));
    const expected = new Map<string, string>();
    for (const [i, bad] of badInputs().entries()) {
      const path = join(
        targets,
        `bad-${i}.${bad.code === 'IMAGE_TOO_LARGE' || bad.code === 'NO_FACE_FOUND' ? 'png' : 'jpg'}`,
      );
      writeFileSync(path, bad.bytes);
      expected.set(path, bad.code);
    }
    writeFileSync(join(targets, 'notes.txt'), 'not an image, not listed');

    const run = swapCli(['--source', samplePath(2), '--target', targets, '--out', out]);
    expect(run.status).toBe(1);
    const lines = run.stdout.split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(expected.size + 1);
    for (const line of lines.slice(0, -1)) expect(line.error.code).toBe(expected.get(line.target));
    const ok = lines.at(-1);
    expect(ok.target).toBe(join(targets, 'party.jpg'));
    expect(ok.facesFound).toEqual({ source: 3, target: 4 });
    expect(ok.facesSwapped).toBe(4);
    // No face is turned too far, and the source wears no glasses: her own eyes and brows are swapped in.
    expect(ok.skipped).toEqual([]);
    expect(ok.sourceFace.glasses).toBe(false);
    expect(Object.keys(ok.ms)).toEqual(['decode', 'detect', 'warp', 'colour', 'blend', 'encode', 'total']);
    expect(existsSync(join(out, 'party.png'))).toBe(true);

    const { server, url } = await startDevServer();
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(url);
      const [source, target, output] = await recogniseFaces(page, [
        readFileSync(samplePath(2)).toString('base64'),
        readFileSync(samplePath(6)).toString('base64'),
        readFileSync(join(out, 'party.png')).toString('base64'),
      ]);
      const identity = nearest(source!, ok.sourceFace.box).descriptor;
      const distances = (ok.targetFaces as number[][]).map((box) => ({
        box,
        before: distance(nearest(target!, box).descriptor, identity),
        after: distance(nearest(output!, box).descriptor, identity),
      }));
      console.log(`face-api FaceRecognitionNet distances to the source face: ${JSON.stringify(distances)}`);
      // Every swapped face moves clearly towards the source, and ends within face-api's same-person
      // distance (0.6) of it.
      for (const d of distances) {
        expect(d.after).toBeLessThan(d.before - 0.12);
        expect(d.after).toBeLessThan(0.6);
      }
    } finally {
      await browser.close();
      await server.close();
    }
  });

  test('bad input: exits non-zero with a one-line reason', () => {
    const dir = mkdtempSync(join(tmpdir(), 'doppel-cli-'));
    const text = join(dir, 'photo.jpg');
    writeFileSync(text, 'hello, not a photo');
    const run = swapCli(['--source', samplePath(3), '--target', text, '--out', join(dir, 'o.png')]);
    expect(run.status).toBe(1);
    expect(run.stderr.split('\n')).toHaveLength(1);
    expect(run.stderr).toContain('UNSUPPORTED_FORMAT');
    expect(existsSync(join(dir, 'o.png'))).toBe(false);
  });

  test('usage errors exit 2 before starting a browser', () => {
    const missing = swapCli(['--source', samplePath(3)]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/^error: --source, --target and --out are required/);
    const engine = swapCli(['--source', 'a', '--target', 'b', '--out', 'c', '--engine', 'neural']);
    expect(engine.status).toBe(2);
    expect(engine.stderr.split('\n')).toHaveLength(1);
    const strength = swapCli(['--source', 'a', '--target', 'b', '--out', 'c', '--strength', '1.5']);
    expect(strength.status).toBe(2);
    expect(strength.stderr).toBe('error: --strength must be a number from 0 to 1');
  });
});
