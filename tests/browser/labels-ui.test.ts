import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aiEditedSourceType } from '../../src/shared/xmp';
import { sampleFile } from '../fixtures/samples';
import { appPath, engineReady, openAppSession, slow, type AppSession } from './ui';

/**
 * The Swap screen's visible label option (production build, WASM): the downloaded photo carries
 * "AI-edited" in its bottom-right corner, and the same XMP tag and Content Credentials as without it.
 */

let session: AppSession;

beforeAll(async () => {
  session = await openAppSession();
});

afterAll(async () => {
  await session?.close();
});

async function downloadBytes(page: Page): Promise<Buffer> {
  const [file] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('download-button').click(),
  ]);
  return readFileSync((await file.path())!);
}

/** Pixels that differ between two downloads of the same size: in the bottom-right corner, and elsewhere. */
function changedPixels(page: Page, a: Buffer, b: Buffer) {
  return page.evaluate(
    async ([a, b]) => {
      const rgba = async (b64: string) => {
        const bitmap = await createImageBitmap(
          new Blob([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))]),
        );
        const ctx = new OffscreenCanvas(bitmap.width, bitmap.height).getContext('2d')!;
        ctx.drawImage(bitmap, 0, 0);
        return ctx.getImageData(0, 0, bitmap.width, bitmap.height);
      };
      const [first, second] = [await rgba(a), await rgba(b)];
      const changed = { corner: 0, elsewhere: 0 };
      for (let i = 0; i < first.data.length; i += 4) {
        if ([0, 1, 2].every((c) => first.data[i + c] === second.data[i + c])) continue;
        const x = (i / 4) % first.width;
        const y = Math.floor(i / 4 / first.width);
        if (x >= first.width * 0.85 && y >= first.height * 0.9) changed.corner++;
        else changed.elsewhere++;
      }
      return changed;
    },
    [a.toString('base64'), b.toString('base64')] as const,
  );
}

function digitalSourceType(bytes: Buffer): string {
  const run = spawnSync('exiftool', ['-s3', '-XMP-iptcExt:DigitalSourceType', '-'], { input: bytes });
  return run.stdout.toString().trim();
}

/** The C2PA manifest's edit actions as exiftool reads them from the JUMBF (empty when there is none). */
function c2paActions(bytes: Buffer): string {
  const run = spawnSync('exiftool', ['-s3', '-CBOR:ActionsAction', '-'], { input: bytes });
  return run.stdout.toString().trim();
}

describe('Visible "AI-edited" label (Swap screen download option)', () => {
  it('labels the corner of the downloaded photo only when chosen, tagged either way', async () => {
    const { page } = session;
    await page.goto(`${session.baseUrl}${appPath}`);
    await engineReady(page);
    await page.getByTestId('source-input').setInputFiles(sampleFile(1));
    await page.getByTestId('target-input').setInputFiles(sampleFile(2));
    await page.getByTestId('target-faces').getByTestId('face-thumb').first().waitFor(slow);
    await page.getByTestId('swap-button').click();
    await page.getByTestId('result-canvas').waitFor(slow);

    const plain = await downloadBytes(page);
    await page.getByTestId('visible-label').check();
    const labelled = await downloadBytes(page);
    const changed = await changedPixels(page, plain, labelled);
    expect(changed.corner).toBeGreaterThan(500);
    expect(changed.elsewhere).toBe(0);
    expect(digitalSourceType(plain)).toBe(aiEditedSourceType);
    expect(digitalSourceType(labelled)).toBe(aiEditedSourceType);
    // Content Credentials either way: signed in the engine worker (plain) or on the page (labelled).
    expect(c2paActions(plain)).toBe('c2pa.created, c2pa.edited');
    expect(c2paActions(labelled)).toBe('c2pa.created, c2pa.edited');

    await page.getByTestId('format-select').selectOption('jpeg');
    const jpeg = await downloadBytes(page);
    expect([...jpeg.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
    expect(digitalSourceType(jpeg)).toBe(aiEditedSourceType);
    expect(c2paActions(jpeg)).toBe('c2pa.created, c2pa.edited');
    expect(session.problems).toEqual([]);
  });
});
