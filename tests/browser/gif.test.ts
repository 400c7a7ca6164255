import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { AutomationSession, isAutomationError } from '../../scripts/lib/automation';
import { launchChromium, openLocalhostPage } from './chromium';
import { swapCli } from './swap-cli';
import { decodeGif, makeMovingGif, movingFace, type MovingGif } from '../fixtures/gif';
import { sampleBase64, samplePath } from '../fixtures/samples';

const { face } = movingFace;
const delays = [80, 120, 200, 120, 80];

/** Mean absolute RGB difference inside and outside a box (the outside: beyond `margin` box sizes). */
function difference(
  a: Buffer,
  b: Buffer,
  width: number,
  box: [number, number, number, number],
  margin: number,
) {
  const [x, y, w, h] = box;
  let inside = 0;
  let insideCount = 0;
  let outside = 0;
  let outsideCount = 0;
  for (let i = 0; i < a.length; i += 4) {
    const px = (i / 4) % width;
    const py = Math.floor(i / 4 / width);
    const d =
      (Math.abs(a[i]! - b[i]!) + Math.abs(a[i + 1]! - b[i + 1]!) + Math.abs(a[i + 2]! - b[i + 2]!)) / 3;
    if (px >= x && px < x + w && py >= y && py < y + h) {
      inside += d;
      insideCount++;
    } else if (
      px < x - margin * w ||
      px >= x + w + margin * w ||
      py < y - margin * h ||
      py >= y + h + margin * h
    ) {
      outside += d;
      outsideCount++;
    }
  }
  return { inside: inside / insideCount, outside: outside / outsideCount, outsideCount };
}

let browser: Browser;
let page: Page;
let gif: MovingGif;
const dir = mkdtempSync(join(tmpdir(), 'doppel-gif-'));

beforeAll(async () => {
  browser = await launchChromium();
  page = await openLocalhostPage(browser);
  gif = await makeMovingGif(page, { ...movingFace, delays, repeat: 3 });
});

afterAll(async () => {
  await browser?.close();
});

/** `npm run swap` of the moving GIF's target file onto sample3's face, on WASM. */
const swapGifCli = (target: string, out: string) =>
  swapCli(['--source', samplePath(3), '--target', target, '--out', out, '--backend', 'wasm']);

describe('npm run swap with an animated GIF (WASM)', () => {
  test('every frame swapped with its delay and the loop count kept; the background unchanged', async () => {
    const target = join(dir, 'moving.gif');
    const out = join(dir, 'swapped.gif');
    writeFileSync(target, gif.bytes);
    const run = await swapGifCli(target, out);
    expect(run.status, run.stderr).toBe(0);
    const progress = run.stderr.split('\n').filter((l) => l.startsWith('progress: '));
    expect(progress).toHaveLength(delays.length);
    expect(progress.at(-1)).toContain(`frame ${delays.length} of ${delays.length}`);
    const line = run.stdout.split('\n').at(-1)!;
    console.log(`GIF swap: ${line}`);
    const summary = JSON.parse(line);
    expect(summary).toMatchObject({
      frames: delays.length,
      framesSwapped: delays.length,
      facesTracked: 1,
      loopCount: 3,
      width: gif.width,
      height: gif.height,
      engine: 'builtin',
      backend: 'wasm',
    });
    expect(summary.fps).toBeGreaterThan(0);

    const input = await decodeGif(page, gif.bytes);
    const output = await decodeGif(page, readFileSync(out));
    expect(input.frameCount).toBe(delays.length);
    expect(input.durations).toEqual(delays);
    expect(output.frameCount).toBe(input.frameCount);
    expect(output.durations).toEqual(input.durations);
    expect(output.repetitionCount).toBe(input.repetitionCount);
    expect([output.width, output.height]).toEqual([gif.width, gif.height]);
    const diffs = input.frames.map((frame, i) =>
      difference(
        Buffer.from(frame, 'base64'),
        Buffer.from(output.frames[i]!, 'base64'),
        gif.width,
        gif.boxInFrame(face, i),
        0.5,
      ),
    );
    console.log(`mean |output - input| per frame (face box, far background): ${JSON.stringify(diffs)}`);
    for (const d of diffs) {
      expect(d.outsideCount).toBeGreaterThan(gif.width * gif.height * 0.4);
      expect(d.inside).toBeGreaterThan(7);
      expect(d.outside).toBeLessThan(3);
    }
  });

  test('a damaged GIF: exit 1 with DECODE_FAILED, no output file', async () => {
    const target = join(dir, 'damaged.gif');
    const out = join(dir, 'damaged-out.gif');
    writeFileSync(target, Buffer.concat([gif.bytes.subarray(0, 13), Buffer.alloc(400, 0x5a)]));
    const run = await swapGifCli(target, out);
    expect(run.status).toBe(1);
    expect(run.stderr.split('\n').filter((l) => l.startsWith('error: '))).toEqual([
      expect.stringContaining('DECODE_FAILED'),
    ]);
    expect(existsSync(out)).toBe(false);
  });

  test('cancel between frames: CANCELLED, then the next GIF swap in the same page works', async () => {
    const session = await AutomationSession.start('wasm');
    try {
      const request = {
        source: sampleBase64(3),
        target: gif.bytes.toString('base64'),
        faces: 'all' as const,
      };
      const frames: number[] = [];
      const cancelled = await session.swapAnimation(request, (progress) => {
        frames.push(progress.fraction);
        if (frames.length === 1) void session.page.evaluate(() => window.doppel.cancel());
      });
      expect(cancelled).toEqual({ error: expect.objectContaining({ code: 'CANCELLED' }) });
      expect(frames.length).toBeLessThan(delays.length);
      const again = await session.swapAnimation(request);
      if (isAutomationError(again)) throw new Error(again.error.code);
      expect(again.frames).toBe(delays.length);
    } finally {
      await session.close();
    }
  });
});
