import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleFile } from '../fixtures/samples';
import { seriousA11yProblems, sidewaysOverflow } from './layout-checks';
import { appPath, engineReady, openAppSession, slow, thumbs, type AppSession } from './ui';

/**
 * Choosing faces on the Swap screen (WASM backend): the numbered boxes on the photo, reference
 * mode and face mapping, checked on the result's pixels inside each target face's box.
 * sample2.jpg (source) and sample1.jpg (target) each show three different people.
 */

let app: AppSession;
let page: Page;

beforeAll(async () => {
  app = await openAppSession();
  page = app.page;
  await page.goto(`${app.baseUrl}${appPath}`);
  await engineReady(page);
  await page.getByTestId('source-input').setInputFiles(sampleFile(2));
  await thumbs(page, 'source').nth(2).waitFor(slow);
  await page.getByTestId('target-input').setInputFiles(sampleFile(1));
  await thumbs(page, 'target').nth(2).waitFor(slow);
}, 180_000);

afterAll(async () => {
  expect(app?.problems ?? []).toEqual([]);
  await app?.close();
});

const choice = () => page.getByTestId('swap-face-choice');
const boxes = () => page.getByTestId('target-boxes').getByTestId('face-box');
const pressed = (locator: ReturnType<typeof boxes>) =>
  locator.evaluateAll((els) => els.map((e) => e.getAttribute('aria-pressed')));

/**
 * Per target face box (as the boxes on the photo place it): the share of its pixels the shown
 * result leaves byte-identical to the target, and the share it changes by more than 30 (RGB sum).
 */
function faceChanges(): Promise<{ identical: number; changed: number }[]> {
  return page.evaluate(async () => {
    const result = document.querySelector<HTMLCanvasElement>('[data-testid="result-canvas"]')!;
    const before = document.querySelector<HTMLImageElement>('[data-testid="target-preview"]')!;
    await before.decode();
    const { width, height } = result;
    const canvas = new OffscreenCanvas(width, height);
    const context = canvas.getContext('2d')!;
    context.drawImage(before, 0, 0, width, height);
    const a = context.getImageData(0, 0, width, height).data;
    const b = result.getContext('2d')!.getImageData(0, 0, width, height).data;
    const buttons = document.querySelectorAll<HTMLElement>(
      '[data-testid="target-boxes"] [data-testid="face-box"]',
    );
    return Array.from(buttons, (button) => {
      const percent = (value: string) => parseFloat(value) / 100;
      const x0 = Math.round(percent(button.style.left) * width);
      const y0 = Math.round(percent(button.style.top) * height);
      const x1 = x0 + Math.round(percent(button.style.width) * width);
      const y1 = y0 + Math.round(percent(button.style.height) * height);
      let identical = 0;
      let changed = 0;
      for (let y = y0; y < y1; y++)
        for (let x = x0; x < x1; x++) {
          const i = (y * width + x) * 4;
          const difference = [0, 1, 2].reduce((sum, c) => sum + Math.abs(a[i + c]! - b[i + c]!), 0);
          if (difference === 0) identical++;
          if (difference > 30) changed++;
        }
      const area = (x1 - x0) * (y1 - y0);
      return { identical: identical / area, changed: changed / area };
    });
  });
}

/** Swaps, and waits for the result line to say how many faces were swapped (each test's count differs from the one before). */
async function swapAndWait(faces: number): Promise<void> {
  await page.getByTestId('swap-button').click();
  const said = faces === 1 ? '1 face swapped' : `${faces} faces swapped`;
  const line = () => page.getByTestId('result').textContent();
  await expect.poll(async () => (await line())?.includes(said) ?? false, slow).toBe(true);
  expect(await page.getByTestId('error').count()).toBe(0);
}

/**
 * A swapped face's box has a tenth or more of its pixels clearly changed (the swap keeps the target's
 * tone, eyes and mouth, so far from all); a face left alone is identical.
 */
function expectSwapped(changes: { identical: number; changed: number }[], swapped: number[]): void {
  changes.forEach((change, face) => {
    if (swapped.includes(face)) expect(change.changed, `face ${face + 1} changed`).toBeGreaterThan(0.1);
    else expect(change.identical, `face ${face + 1} unchanged`).toBeGreaterThan(0.99);
  });
}

describe('choosing faces on the Swap screen', () => {
  it('numbers a box per face on the target photo; a box and its thumbnail toggle together; the swap leaves an unchosen face as it was', async () => {
    expect(await boxes().count()).toBe(3);
    expect(await boxes().allTextContents()).toEqual(['1', '2', '3']);
    expect(await pressed(boxes())).toEqual(['true', 'true', 'true']);
    expect(await page.getByTestId('source-boxes').getByTestId('face-box').count()).toBe(3);
    // Each box lies on the photo as it is drawn, not beside it.
    const drawn = (await page.getByTestId('target-preview').boundingBox())!;
    for (const box of await boxes().all()) {
      const { x, y, width, height } = (await box.boundingBox())!;
      expect(x).toBeGreaterThanOrEqual(drawn.x - 1);
      expect(y).toBeGreaterThanOrEqual(drawn.y - 1);
      expect(x + width).toBeLessThanOrEqual(drawn.x + drawn.width + 1);
      expect(y + height).toBeLessThanOrEqual(drawn.y + drawn.height + 1);
    }

    await boxes().nth(1).click();
    expect(await pressed(boxes())).toEqual(['true', 'false', 'true']);
    expect(await pressed(thumbs(page, 'target'))).toEqual(['true', 'false', 'true']);
    await thumbs(page, 'target').nth(1).click();
    expect(await pressed(boxes())).toEqual(['true', 'true', 'true']);
    await boxes().nth(1).focus();
    await page.keyboard.press('Space');
    expect(await pressed(thumbs(page, 'target'))).toEqual(['true', 'false', 'true']);

    await swapAndWait(2);
    expectSwapped(await faceChanges(), [0, 2]);
  });

  it('reference mode swaps only the person like the reference face', async () => {
    await choice().getByTestId('choice-reference').check();
    expect(await page.getByTestId('swap-button').isDisabled()).toBe(true);
    await choice().getByTestId('reference-face').selectOption({ label: 'Target face 3' });
    await choice().getByTestId('likeness-threshold').fill('0.7');
    await swapAndWait(1);
    expectSwapped(await faceChanges(), [2]);
  });

  it('face mapping swaps each chosen source face onto its own target face', async () => {
    await choice().getByTestId('choice-map').check();
    const rows = choice().getByTestId('face-map-source');
    expect(await rows.count()).toBe(3);
    await rows.nth(0).selectOption({ label: 'Source face 3' });
    await rows.nth(1).selectOption({ label: 'Source face 1' });
    await swapAndWait(2);
    expectSwapped(await faceChanges(), [0, 1]);
  });

  it('with the boxes, the mapping and the reference photo shown: axe-core finds no serious problem, and nothing overflows at 390 px', async () => {
    expect(await seriousA11yProblems(page)).toEqual([]);
    await page.setViewportSize({ width: 390, height: 844 });
    const overflow = await sidewaysOverflow(page);
    expect(overflow.elements).toEqual([]);
    expect(overflow.pageWidth).toBeLessThanOrEqual(overflow.width);
    await page.setViewportSize({ width: 1366, height: 768 });
  });
});
