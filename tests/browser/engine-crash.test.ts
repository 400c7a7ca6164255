import type { Page, Worker } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { sampleFile } from '../fixtures/samples';
import {
  appPath,
  engineReady,
  openAppSession,
  resultAgainstTarget,
  slow,
  thumbs,
  type AppSession,
} from './ui';

/**
 * The engine worker ended in the middle of a swap (as when the browser kills it for memory): the swap
 * says so, the photos and the local history stay, and the next swap runs on a new worker.
 */

let app: AppSession;
let page: Page;

beforeAll(async () => {
  app = await openAppSession();
  ({ page } = app);
});

afterAll(() => app?.close());

const go = (screen: string) => page.getByRole('link', { name: screen, exact: true }).click();
const swapError = () => page.locator('.swap-controls [data-testid="error"]');

function engineWorker(): Worker {
  const worker = page.workers().find((w) => w.url().includes('engine.worker'));
  if (!worker) throw new Error('no engine worker');
  return worker;
}

async function historyEntries(): Promise<number> {
  await go('History');
  const count = await page.getByTestId('history-entry').count();
  await go('Swap');
  return count;
}

async function swapAndKeep(): Promise<void> {
  const progress = page.locator('.swap-bar').getByTestId('progress');
  await page.getByTestId('swap-button').click();
  await progress.waitFor();
  await progress.waitFor({ state: 'detached', ...slow });
  await page.locator('[data-testid="result"][data-history="kept"]').waitFor(slow);
  expect(await swapError().count()).toBe(0);
}

test('a worker that ends mid-swap: a clear message, nothing lost, and the next swap runs on a new worker', async () => {
  await page.goto(`${app.baseUrl}${appPath}`);
  await engineReady(page);
  await go('History');
  await page.getByTestId('history-enabled').check();
  await go('Swap');
  await page.getByTestId('source-input').setInputFiles(sampleFile(1));
  await page.getByTestId('target-input').setInputFiles(sampleFile(2));
  await expect.poll(() => thumbs(page, 'source').count(), slow).toBeGreaterThanOrEqual(1);
  await expect.poll(() => thumbs(page, 'target').count(), slow).toBeGreaterThanOrEqual(1);
  const faces = {
    source: await thumbs(page, 'source').count(),
    target: await thumbs(page, 'target').count(),
  };
  await swapAndKeep();
  await expect.poll(historyEntries, slow).toBe(1);

  // The worker's answers go nowhere from now on, so the swap is still running when the worker ends.
  const dying = engineWorker();
  await dying.evaluate(() => {
    self.postMessage = () => undefined;
  });
  await page.getByTestId('swap-button').click();
  await page.locator('.swap-bar').getByTestId('progress').waitFor();
  await dying.evaluate(() => self.close()).catch(() => undefined);

  await swapError().waitFor(slow);
  expect(await swapError().getAttribute('data-code')).toBe('ENGINE_CRASHED');
  expect(await swapError().textContent()).toContain('press the button again');
  await page.locator('[data-testid="backend-status"][data-state="failed"]').waitFor();
  expect(await thumbs(page, 'source').count()).toBe(faces.source);
  expect(await thumbs(page, 'target').count()).toBe(faces.target);
  expect(await page.getByTestId('result-canvas').count()).toBe(1);
  expect(await historyEntries()).toBe(1);

  await swapAndKeep();
  await page
    .locator('[data-testid="backend-status"][data-state="ready"][data-restarted="true"]')
    .waitFor(slow);
  expect(engineWorker()).not.toBe(dying);
  expect((await resultAgainstTarget(page)).changed).toBeGreaterThan(1000);
  expect(await thumbs(page, 'source').count()).toBe(faces.source);
  expect(await thumbs(page, 'target').count()).toBe(faces.target);
  await expect.poll(historyEntries, slow).toBe(2);
  expect(app.problems).toEqual([]);
});
