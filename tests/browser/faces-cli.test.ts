import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { launchChromium } from './chromium';
import { startDevServer } from './dev-server';
import { distance, nearest, recogniseFaces } from './face-recognition';
import { samplePath } from '../fixtures/samples';

/** `npm run swap` choosing faces by likeness. sample1.jpg and sample2.jpg each show three different people. */

function swapCli(args: string[]) {
  const run = spawnSync('npx', ['tsx', 'scripts/swap.ts', ...args], { encoding: 'utf8', timeout: 300_000 });
  return { status: run.status, stdout: run.stdout.trim(), stderr: run.stderr.trim() };
}

type Box = [number, number, number, number];

/** Shares of each box's pixels that are byte-identical in `a` and `b` (base64 images), decoded in the page. */
async function identicalIn(page: import('playwright-core').Page, a: string, b: string, boxes: Box[]) {
  return page.evaluate(
    async ({ a, b, boxes }) => {
      const pixels = async (b64: string) => {
        const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
        const bitmap = await createImageBitmap(new Blob([bytes]), { colorSpaceConversion: 'none' });
        const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
        const context = canvas.getContext('2d')!;
        context.drawImage(bitmap, 0, 0);
        return { width: bitmap.width, data: context.getImageData(0, 0, bitmap.width, bitmap.height).data };
      };
      const [before, after] = [await pixels(a), await pixels(b)];
      return boxes.map(([x0, y0, w, h]) => {
        let same = 0;
        let all = 0;
        for (let y = Math.round(y0); y < Math.round(y0 + h); y++)
          for (let x = Math.round(x0); x < Math.round(x0 + w); x++) {
            const i = (y * before.width + x) * 4;
            all++;
            if ([0, 1, 2].every((c) => before.data[i + c] === after.data[i + c])) same++;
          }
        return same / all;
      });
    },
    { a, b, boxes },
  );
}

describe('npm run swap by likeness', () => {
  test('bad likeness flags are usage errors: exit 2 with a one-line reason, before a browser starts', () => {
    const base = ['--source', samplePath(2), '--target', samplePath(1), '--out', 'never.png'];
    const cases: [string[], string][] = [
      [['--reference', '0', '--threshold', '2'], 'error: --threshold must be a number from 0 to 1'],
      [['--map', '0:1,0:2'], 'error: --map lists a target face twice: give each target face one source face'],
    ];
    for (const [flags, reason] of cases) {
      const run = swapCli([...base, ...flags]);
      expect(run.status, flags.join(' ')).toBe(2);
      expect(run.stderr).toBe(reason);
    }
    const photos = mkdtempSync(join(tmpdir(), 'doppel-photos-'));
    copyFileSync(samplePath(1), join(photos, 'one.jpg'));
    const folder = swapCli(['--source', samplePath(2), '--target', photos, '--out', 'o', '--reference', '0']);
    expect(folder.status).toBe(2);
    expect(folder.stderr).toMatch(/^error: a folder --target takes --reference-photo/);
  });

  test('--reference-photo swaps only that person; --map gives two targets two sources, each resembling its own', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'doppel-likeness-'));
    const referenced = join(dir, 'referenced.png');
    const byReference = swapCli([
      ...['--source', samplePath(2), '--target', samplePath(1), '--out', referenced],
      ...['--reference-photo', samplePath(1), '--threshold', '0.7'],
    ]);
    expect(byReference.stderr).toBe('');
    const reference = JSON.parse(byReference.stdout);
    const matched = reference.matches.filter((m: { sourceFace: number | null }) => m.sourceFace !== null);
    expect(matched).toHaveLength(1);
    expect(matched[0].similarity).toBeGreaterThan(0.99);
    expect(reference.facesSwapped).toBe(1);

    const mapped = join(dir, 'mapped.png');
    const byMap = swapCli([
      ...['--source', samplePath(2), '--target', samplePath(1), '--out', mapped],
      ...['--map', '0:2,2:0'],
    ]);
    expect(byMap.stderr).toBe('');
    const map = JSON.parse(byMap.stdout);
    expect(map.facesSwapped).toBe(2);
    expect(map.matches.map((m: { sourceFace: number | null }) => m.sourceFace)).toEqual([2, null, 0]);
    const targetBoxes = map.targetFaces as Box[];

    const { server, url } = await startDevServer();
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(url);
      const b64 = (path: string) => readFileSync(path).toString('base64');
      const [untouchedReference, untouchedMap] = [
        await identicalIn(page, b64(samplePath(1)), b64(referenced), targetBoxes),
        await identicalIn(page, b64(samplePath(1)), b64(mapped), targetBoxes),
      ];
      const swappedByReference = reference.matches.findIndex(
        (m: { sourceFace: number | null }) => m.sourceFace !== null,
      );
      untouchedReference.forEach((share, face) =>
        face === swappedByReference ? expect(share).toBeLessThan(0.8) : expect(share).toBeGreaterThan(0.99),
      );
      expect(untouchedMap[1]).toBeGreaterThan(0.99);

      const [source, output] = await recogniseFaces(page, [b64(samplePath(2)), b64(mapped)]);
      const sourceBoxes = map.sourceFaces as Box[];
      const first = nearest(source!, sourceBoxes[0]!).descriptor;
      const third = nearest(source!, sourceBoxes[2]!).descriptor;
      const got0 = nearest(output!, targetBoxes[0]!).descriptor;
      const got2 = nearest(output!, targetBoxes[2]!).descriptor;
      const distances = {
        target0: { toThird: distance(got0, third), toFirst: distance(got0, first) },
        target2: { toFirst: distance(got2, first), toThird: distance(got2, third) },
      };
      console.log(`face-api distances of the mapped faces to the two sources: ${JSON.stringify(distances)}`);
      expect(distances.target0.toThird).toBeLessThan(distances.target0.toFirst);
      expect(distances.target2.toFirst).toBeLessThan(distances.target2.toThird);
    } finally {
      await browser.close();
      await server.close();
    }
  });
});
