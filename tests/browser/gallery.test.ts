import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { imageSize } from 'image-size';
import { describe, expect, it } from 'vitest';

/** `npm run gallery`'s script with these arguments, without blocking the test's event loop. */
function gallery(args: string[]): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('npx', ['tsx', 'scripts/gallery.ts', ...args]);
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('close', (status) => resolve({ status, output }));
  });
}

describe('npm run gallery', () => {
  it('writes one PNG: a row per photo pair and two rows of video frames, 320x240 cells', async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'doppel-gallery-')), 'gallery.png');
    const run = await gallery(['--pairs', '1', '--out', out]);
    expect(run.status, run.output).toBe(0);
    const png = readFileSync(out);
    expect(imageSize(png)).toMatchObject({ type: 'png', width: 960, height: 3 * 240 });
    expect(run.output).toContain('1 photo pair(s)');
  });

  it("--example writes the start screen's compact before/after: WebP, two 256-px squares, tens of KB", async () => {
    const out = join(mkdtempSync(join(tmpdir(), 'doppel-gallery-')), 'before-after.webp');
    const run = await gallery(['--example', out]);
    expect(run.status, run.output).toBe(0);
    const webp = readFileSync(out);
    expect(imageSize(webp)).toMatchObject({ type: 'webp', width: 512, height: 256 });
    expect(webp.length).toBeLessThan(64 * 1024);
  });
});
