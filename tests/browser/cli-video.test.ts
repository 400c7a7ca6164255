import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchChromium, openLocalhostPage } from './chromium';
import { swapCli } from './swap-cli';
import { samplePath } from '../fixtures/samples';
import { installVideoFixtures, makeClip, oneFaceClip } from '../fixtures/video';

let browser: Browser;
let page: Page;
const dir = mkdtempSync(join(tmpdir(), 'doppel-cli-video-'));

beforeAll(async () => {
  browser = await launchChromium();
  page = await openLocalhostPage(browser);
  await installVideoFixtures(page);
  writeFileSync(join(dir, 'clip.mov'), await makeClip(page, 'mov', oneFaceClip('mov', 'avc', 10).spec));
  writeFileSync(join(dir, 'clip.mkv'), await makeClip(page, 'mkv', oneFaceClip('mkv', 'vp9', 10).spec));
});

afterAll(async () => {
  await browser?.close();
});

/** Frames and codec of a video file, decoded in the page. */
function decodeFile(path: string) {
  return page.evaluate(async (b64) => {
    const blob = new Blob([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))]);
    const { frames, codec, durationS } = await window.doppelVideoFixtures.decodeFrames(blob);
    const audio = await window.doppelVideoFixtures.readAudio(blob);
    return { frames: frames.length, codec, durationS, audio: audio?.codec ?? null };
  }, readFileSync(path).toString('base64'));
}

const cli = (target: string, out: string, ...more: string[]) =>
  swapCli(['--source', samplePath(3), '--target', target, '--out', out, '--backend', 'wasm', ...more]);

describe('npm run swap with a video target (WASM)', () => {
  test('MOV in, MP4 out: progress on stderr, one JSON line, every frame swapped with the audio kept', async () => {
    const out = join(dir, 'swapped.mp4');
    const run = await cli(join(dir, 'clip.mov'), out);
    expect(run.status, run.stderr).toBe(0);
    const progress = run.stderr.split('\n').filter((l) => l.startsWith('progress: '));
    expect(progress).toHaveLength(10);
    expect(progress.at(-1)).toContain('Frame 10 of 10');
    const line = run.stdout.split('\n').at(-1)!;
    console.log(`video CLI: ${line}`);
    expect(JSON.parse(line)).toMatchObject({
      out,
      frames: 10,
      framesSwapped: 10,
      facesTracked: 1,
      audioKept: true,
      frameRate: expect.closeTo(15, 3),
      engine: 'builtin',
      backend: 'wasm',
    });
    expect(await decodeFile(out)).toMatchObject({ frames: 10, codec: 'avc', audio: 'opus' });
  });

  test('MKV in, WebM out with --trim: the trimmed frames only', async () => {
    const out = join(dir, 'trimmed.webm');
    const run = await cli(join(dir, 'clip.mkv'), out, '--trim', '0.2-0.6', '--quality', 'low');
    expect(run.status, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout.split('\n').at(-1)!)).toMatchObject({ frames: 6, audioKept: true });
    expect(await decodeFile(out)).toMatchObject({ frames: 6, codec: 'vp9', audio: 'opus' });
  });

  test('a video cut short: exit 1 with VIDEO_TRUNCATED and no output file; an unsupported --out: exit 2', async () => {
    const target = join(dir, 'cut.mov');
    const out = join(dir, 'cut-out.mp4');
    const clip = readFileSync(join(dir, 'clip.mov'));
    writeFileSync(target, clip.subarray(0, Math.round(clip.length * 0.5)));
    const run = await cli(target, out);
    expect(run.status).toBe(1);
    expect(run.stderr.split('\n').filter((l) => l.startsWith('error: '))).toEqual([
      expect.stringContaining('VIDEO_TRUNCATED'),
    ]);
    expect(existsSync(out)).toBe(false);
    const wrong = await cli(join(dir, 'clip.mov'), join(dir, 'out.avi'));
    expect(wrong.status).toBe(2);
    expect(wrong.stderr).toContain('.mp4');
  });
});
