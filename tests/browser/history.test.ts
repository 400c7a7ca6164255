import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleFile } from '../fixtures/samples';
import { appPath, openAppSession, slow, type AppSession } from './ui';

/**
 * Opt-in local history on the production build: off by default (nothing is stored), kept in
 * IndexedDB when turned on, "Delete all now", and expired entries deleted automatically.
 */

let app: AppSession;
let page: Page;

beforeAll(async () => {
  app = await openAppSession();
  ({ page } = app);
});

afterAll(() => app?.close());

/** The `createdAt` of every entry in the history database; [] when the database does not exist. */
function keptInDb(): Promise<number[]> {
  return page.evaluate(async () => {
    if (!(await indexedDB.databases()).some((d) => d.name === 'doppel-history')) return [];
    return new Promise<number[]>((resolve, reject) => {
      const open = indexedDB.open('doppel-history');
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const db = open.result;
        const all = db.transaction('results').objectStore('results').getAll();
        all.onerror = () => reject(all.error);
        all.onsuccess = () => {
          db.close();
          resolve((all.result as { createdAt: number }[]).map((entry) => entry.createdAt));
        };
      };
    });
  });
}

const go = (screen: string) => page.getByRole('link', { name: screen, exact: true }).click();

async function swapOnce(): Promise<void> {
  await go('Swap');
  const progress = page.locator('.swap-bar').getByTestId('progress');
  await page.getByTestId('swap-button').click();
  await progress.waitFor();
  await progress.waitFor({ state: 'detached', ...slow });
  await page.getByTestId('result-canvas').waitFor(slow);
  expect(await page.getByTestId('error').count()).toBe(0);
}

describe('local history', () => {
  it('is off by default: a swap stores nothing in IndexedDB', async () => {
    await page.goto(`${app.baseUrl}${appPath}`);
    await page.locator('[data-testid="backend-status"][data-state="ready"]').waitFor(slow);
    await go('History');
    expect(await page.getByTestId('history-enabled').isChecked()).toBe(false);
    expect(await page.getByTestId('history-retention').inputValue()).toBe('30');

    await go('Swap');
    await page.getByTestId('source-input').setInputFiles(sampleFile(1));
    await page.getByTestId('target-input').setInputFiles(sampleFile(2));
    const thumbs = (slot: string) => page.getByTestId(`${slot}-faces`).getByTestId('face-thumb');
    await expect.poll(() => thumbs('source').count(), slow).toBeGreaterThanOrEqual(1);
    await expect.poll(() => thumbs('target').count(), slow).toBeGreaterThanOrEqual(1);
    await swapOnce();
    // The app marks the result once history has decided; only then is the empty database final.
    await page.locator('[data-testid="result"][data-history="not-kept"]').waitFor(slow);
    expect(await keptInDb()).toEqual([]);
  });

  it('when turned on keeps each finished swap; "Delete all now" empties it', async () => {
    await go('History');
    await page.getByTestId('history-enabled').check();
    expect(await page.evaluate(() => localStorage.getItem('doppel.history'))).toContain('"enabled":true');
    await swapOnce();
    await expect.poll(() => keptInDb().then((entries) => entries.length), slow).toBe(1);
    await go('History');
    const entry = page.getByTestId('history-entry');
    await expect.poll(() => entry.count(), slow).toBe(1);
    const size = await entry.locator('img').evaluate((img: HTMLImageElement) => img.naturalWidth);
    expect(size).toBeGreaterThan(0);
    expect(await entry.getByTestId('history-download').getAttribute('download')).toBe('doppel-sample2.png');

    await page.getByTestId('history-delete-all').click();
    await expect.poll(() => keptInDb(), slow).toEqual([]);
    expect(await entry.count()).toBe(0);
  });

  it('deletes entries older than the window on load; turning it off deletes everything', async () => {
    const now = Date.now();
    const old = now - 2 * 60 * 60_000;
    await page.evaluate(
      ({ stamps }) =>
        new Promise<void>((resolve, reject) => {
          const open = indexedDB.open('doppel-history');
          open.onerror = () => reject(open.error);
          open.onsuccess = () => {
            const tx = open.result.transaction('results', 'readwrite');
            for (const createdAt of stamps) {
              const png = new Blob([new Uint8Array([137, 80, 78, 71])], { type: 'image/png' });
              tx.objectStore('results').add({ createdAt, name: 'fake.png', width: 1, height: 1, png });
            }
            tx.oncomplete = () => {
              open.result.close();
              resolve();
            };
            tx.onerror = () => reject(tx.error);
          };
        }),
      { stamps: [old, now] },
    );
    expect((await keptInDb()).sort()).toEqual([old, now]);
    await page.reload();
    await expect.poll(() => keptInDb(), slow).toEqual([now]);
    expect(await page.getByTestId('history-entry').count()).toBe(1);

    await page.getByTestId('history-enabled').uncheck();
    await expect.poll(() => keptInDb(), slow).toEqual([]);
    expect(await page.evaluate(() => localStorage.getItem('doppel.history'))).toContain('"enabled":false');
    expect(app.problems).toEqual([]);
  });
});
