import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeContractModels } from '../../scripts/models/generate';
import { samplePath } from '../fixtures/samples';
import {
  appPath,
  engineReady,
  openAppSession,
  resultAgainstTarget,
  slow,
  startTrial,
  thumbs,
  type AppSession,
} from './ui';

/**
 * The Swap screen's engine choice on the production build: Neural is disabled with its reason until a
 * swapper and an embedder are imported (contract models, through the Models screen), then it can be
 * chosen by keyboard, shows its own options (the occlusion and region masks, on together, once their
 * models are imported), keeps them across a reload, takes extra source photos and swaps, saying which
 * engine and provider ran.
 */

let app: AppSession;
let page: Page;
let dir: string;
let files: Record<string, string>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'doppel-neural-ui-'));
  files = writeContractModels(dir);
  app = await openAppSession();
  ({ page } = app);
  // The neural engine is outside the Free plan.
  await page.goto(`${app.baseUrl}${appPath}`);
  await startTrial(page);
});

afterAll(async () => {
  await app?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const neuralRadio = () => page.getByTestId('engine-neural');

async function importModels(names: string[]): Promise<void> {
  const section = page.getByTestId('models-import');
  await section.waitFor();
  for (const name of names) {
    const runs = Number(await section.getAttribute('data-import-runs'));
    await page.getByTestId('import-input').setInputFiles(files[name]!);
    await page.locator(`[data-testid="models-import"][data-import-runs="${runs + 1}"]`).waitFor(slow);
  }
  expect(await page.getByTestId('import-errors').getByTestId('error').count()).toBe(0);
}

const fitsWidth = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

describe('Engine choice on the Swap screen', () => {
  it('keeps Neural disabled with what to import and a link to the Models screen', async () => {
    await page.goto(`${app.baseUrl}${appPath}`);
    await engineReady(page);
    const reason = page.getByTestId('neural-unavailable');
    await expect.poll(() => reason.textContent(), slow).toMatch(/^Neural needs .+ and .+: import them/);
    expect(await neuralRadio().isDisabled()).toBe(true);
    expect(await neuralRadio().getAttribute('aria-describedby')).toBe('neural-unavailable');
    expect(await page.getByTestId('engine-builtin').isChecked()).toBe(true);
    expect(await page.getByTestId('builtin-options').isVisible()).toBe(true);
    expect(await page.getByTestId('neural-options').count()).toBe(0);

    await reason.getByRole('link', { name: 'Models screen' }).click();
    await expect.poll(() => page.evaluate(() => location.hash)).toBe('#/models');
  });

  it('enables Neural once a swapper and an embedder are imported, by keyboard, with its own options kept across a reload', async () => {
    await importModels(['swapper.onnx', 'embedder.onnx']);
    await page.getByRole('link', { name: 'Swap', exact: true }).click();
    await expect.poll(() => neuralRadio().isEnabled(), slow).toBe(true);
    expect(await page.getByTestId('neural-unavailable').count()).toBe(0);

    await page.getByTestId('engine-builtin').focus();
    await page.keyboard.press('ArrowRight');
    expect(await neuralRadio().isChecked()).toBe(true);
    expect(await page.getByTestId('builtin-options').count()).toBe(0);
    const boost = page.getByTestId('pixel-boost');
    expect(await boost.inputValue()).toBe('128');
    // The box mask is always on; no masker is installed, so there is nothing else to choose.
    const masks = page.getByTestId('masks').getByRole('checkbox');
    expect(await masks.evaluateAll((boxes) => boxes.map((b) => b.dataset.testid))).toEqual(['mask-box']);
    expect(await page.getByTestId('mask-box').isChecked()).toBe(true);
    expect(await page.getByTestId('mask-box').isDisabled()).toBe(true);
    expect(await page.getByTestId('restore').count()).toBe(0);
    // Hands in front of a face are kept by both engines, so the choice is offered here too.
    const hands = page.getByRole('checkbox', { name: 'Keep hands in front of faces' });
    expect(await hands.isChecked()).toBe(true);
    await hands.uncheck();
    await boost.selectOption('256');

    await page.reload();
    await engineReady(page);
    await expect.poll(() => neuralRadio().isChecked(), slow).toBe(true);
    expect(await page.getByTestId('pixel-boost').inputValue()).toBe('256');
    expect(await hands.isChecked()).toBe(false);
    await hands.focus();
    await page.keyboard.press('Space');
    expect(await hands.isChecked()).toBe(true);
    expect(await fitsWidth()).toBe(true);
  });

  it('shows the face restoration slider once an enhancer is imported', async () => {
    await page.getByRole('link', { name: 'Models', exact: true }).click();
    await importModels(['enhancer.onnx']);
    await page.getByRole('link', { name: 'Swap', exact: true }).click();
    const restore = page.getByRole('slider', { name: 'Face restoration' });
    await restore.waitFor(slow);
    expect(await restore.getAttribute('aria-valuetext')).toBe('Off');
    await restore.focus();
    await page.keyboard.press('End');
    expect(await restore.getAttribute('aria-valuetext')).toBe('100%');
  });

  it('offers a checkbox per installed mask model; occlusion and regions can be on together, kept across a reload', async () => {
    await page.getByRole('link', { name: 'Models', exact: true }).click();
    await importModels(['masker-occlusion.onnx', 'masker-region.onnx']);
    await page.getByRole('link', { name: 'Swap', exact: true }).click();
    const occlusion = page.getByRole('checkbox', { name: 'Occlusion (XSeg)' });
    const region = page.getByRole('checkbox', { name: 'Face regions (BiSeNet)' });
    await region.waitFor(slow);
    expect([await occlusion.isChecked(), await region.isChecked()]).toEqual([false, false]);
    await region.check();
    await occlusion.focus();
    await page.keyboard.press('Space');
    expect([await occlusion.isChecked(), await region.isChecked()]).toEqual([true, true]);

    await page.reload();
    await engineReady(page);
    await region.waitFor(slow);
    expect([await occlusion.isChecked(), await region.isChecked()]).toEqual([true, true]);
    expect(await page.getByTestId('mask-box').isChecked()).toBe(true);
    expect(await fitsWidth()).toBe(true);
  });

  it('takes more photos of the source person as removable thumbnails and swaps with the neural engine', async () => {
    await page.getByTestId('source-input').setInputFiles(samplePath(3));
    await page.getByTestId('target-input').setInputFiles(samplePath(2));
    await expect.poll(() => thumbs(page, 'source').count(), slow).toBeGreaterThanOrEqual(1);
    await expect.poll(() => thumbs(page, 'target').count(), slow).toBeGreaterThanOrEqual(1);

    const add = page.getByRole('button', { name: 'Add more photos of this person…' });
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), add.press('Enter')]);
    await chooser.setFiles([samplePath(1), samplePath(4)]);
    const extras = page.getByTestId('more-source');
    await expect.poll(() => extras.count(), slow).toBe(2);
    await extras
      .first()
      .getByRole('button', { name: /^Remove / })
      .click();
    await expect.poll(() => extras.count()).toBe(1);
    expect(await fitsWidth()).toBe(true);

    await page.getByTestId('swap-button').click();
    const ran = page.getByTestId('result-engine');
    await ran.waitFor(slow);
    expect(await page.locator('.swap-bar').getByTestId('error').count()).toBe(0);
    expect(await ran.getAttribute('data-engine')).toBe('neural');
    expect(['webgpu', 'wasm']).toContain(await ran.getAttribute('data-provider'));
    expect(await ran.textContent()).toMatch(/neural engine on (WebGPU|WebAssembly)/);
    // The faces changed, and the swap stayed local: most of the photo is byte-identical to the target.
    const result = await resultAgainstTarget(page);
    expect(result.changed).toBeGreaterThan(500);
    expect(result.identical).toBeGreaterThan(0.8 * result.width * result.height);
    expect(app.problems).toEqual([]);
  });
});
