import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleFile } from '../fixtures/samples';
import { installVideoFixtures, makeClip, oneFaceClip } from '../fixtures/video';
import { inViewport, seriousA11yProblems, sidewaysOverflow } from './layout-checks';
import {
  appPath,
  clickThenAtOnce,
  engineReady,
  openAppSession,
  slow,
  startTrial,
  thumbs,
  type AppSession,
} from './ui';

/**
 * The studio around the swaps, in the production build (WASM backend): the Settings screen keeps
 * its choices and resets them; a cut-short MP4 is called cut short when opened, whichever end holds
 * its index; while a video is made the progress, Pause and Cancel stay in view at 1366x768 and
 * 1920x1080; nothing overflows sideways at 390 px; the skip link, the focus after consent, and
 * axe-core on every screen.
 */

const screens = ['swap', 'video', 'live', 'models', 'history', 'settings', 'license', 'privacy'];

let app: AppSession;
let page: Page;

beforeAll(async () => {
  app = await openAppSession();
  ({ page } = app);
  await page.goto(`${app.baseUrl}${appPath}`);
  await engineReady(page);
  // Video swaps are outside the Free plan.
  await startTrial(page);
});

afterAll(() => app?.close());

const screen = (id: string) => page.locator(`[data-screen="${id}"]`);

async function show(id: string): Promise<void> {
  await page.evaluate((id) => (location.hash = `#/${id}`), id);
  await screen(id).waitFor();
}

const setting = (id: string) => page.locator(`[data-testid="remembered"] [data-setting="${id}"]`);
const stored = (key: string) => page.evaluate((key) => localStorage.getItem(key), key);

/** The error codes (and how each is shown) in one part of the page. */
const shownCodes = (scope: string) =>
  page
    .locator(scope)
    .getByTestId('error')
    .evaluateAll((els) =>
      els.map((e) => ({
        code: e.getAttribute('data-code'),
        role: e.getAttribute('role'),
        text: e.textContent,
      })),
    );

describe('Settings screen', () => {
  it('keeps the backend, presets and swap options across a reload, and Reset to defaults restores them', async () => {
    await show('swap');
    const keepMouth = await page.getByTestId('keep-mouth').isChecked();
    await page.getByTestId('keep-mouth').setChecked(!keepMouth);
    await show('settings');
    expect(await page.getByTestId('backend-now').getAttribute('data-backend')).toBe('wasm');
    expect(await page.getByTestId('backend-forced').textContent()).toContain('?backend=wasm');
    await page.getByTestId('backend-webgpu').check();
    await page.getByTestId('video-preset').selectOption('quality');
    await page.getByTestId('live-preset').selectOption('speed');
    // Threads: automatic gives the neural engine every core (the page is cross-origin isolated).
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    expect(await page.getByTestId('backend-now').getAttribute('data-neural-threads')).toBe(String(cores));
    await page.getByTestId('threads-choice').selectOption('1');
    await page.getByTestId('threads-reload').waitFor();
    await page.getByTestId('storage-used').waitFor();
    expect(await page.getByTestId('storage-used').getAttribute('data-bytes')).toMatch(/^\d+$/);

    await page.reload();
    await screen('settings').waitFor();
    expect(await page.getByTestId('backend-webgpu').isChecked()).toBe(true);
    expect(await page.getByTestId('video-preset').inputValue()).toBe('quality');
    expect(await page.getByTestId('live-preset').inputValue()).toBe('speed');
    expect(await setting('keep-mouth').textContent()).toBe(keepMouth ? 'no' : 'yes');
    expect(await setting('backend').textContent()).toBe('Graphics card (WebGPU)');
    expect(await page.getByTestId('threads-choice').inputValue()).toBe('1');
    expect(await setting('threads').textContent()).toBe('1');
    // The engine started after the reload runs on the one thread asked (tfjs and onnxruntime alike).
    const now = page.locator('[data-testid="backend-now"][data-neural-threads="1"]');
    await now.waitFor(slow);
    expect(await now.getAttribute('data-threads')).toBe('1');
    expect(await now.textContent()).toContain('WebAssembly, 1 thread)');

    await page.getByTestId('reset-defaults').click();
    expect(await page.getByTestId('backend-auto').isChecked()).toBe(true);
    expect(await page.getByTestId('video-preset').inputValue()).toBe('balanced');
    expect(await page.getByTestId('threads-choice').inputValue()).toBe('auto');
    expect(await setting('keep-mouth').textContent()).toBe(keepMouth ? 'yes' : 'no');
    expect([await stored('doppel.settings'), await stored('doppel.swap')]).toEqual([null, null]);
    await page.reload();
    await screen('settings').waitFor();
    expect(await page.getByTestId('live-preset').inputValue()).toBe('balanced');
    expect(await page.getByTestId('backend-auto').isChecked()).toBe(true);
    const auto = page.locator(`[data-testid="backend-now"][data-neural-threads="${cores}"]`);
    await auto.waitFor(slow);
    await show('swap');
    expect(await page.getByTestId('keep-mouth').isChecked()).toBe(keepMouth);
    await engineReady(page);
  });
});

describe('Video screen', () => {
  const clip = oneFaceClip('mp4', 'avc', 15);

  it('says a cut-short MP4 is cut short as soon as it is opened, with its index at the end or at the start', async () => {
    await installVideoFixtures(page);
    const layouts = {
      faststart: await makeClip(page, 'faststart', clip.spec),
      'index-at-end': await makeClip(page, 'atEnd', { ...clip.spec, indexAtEnd: true }),
    };
    // The two layouts really differ: the index (moov) before or after the media (mdat).
    const order = (bytes: Buffer) => bytes.indexOf('moov') < bytes.indexOf('mdat');
    expect([order(layouts.faststart), order(layouts['index-at-end'])]).toEqual([true, false]);
    await show('video');
    for (const [name, bytes] of Object.entries(layouts)) {
      await page.getByTestId('video-input').setInputFiles({
        name: `${name}.mp4`,
        mimeType: 'video/mp4',
        buffer: bytes.subarray(0, Math.round(bytes.length * 0.7)),
      });
      await expect
        .poll(() => shownCodes('[data-testid="video-panel"]'), slow)
        .toEqual([{ code: 'VIDEO_TRUNCATED', role: 'alert', text: expect.stringContaining('cut short') }]);
    }
    // Whole, the file with its index at the end opens.
    await page
      .getByTestId('video-input')
      .setInputFiles({ name: 'whole.mp4', mimeType: 'video/mp4', buffer: layouts['index-at-end'] });
    await page.getByTestId('video-facts').waitFor(slow);
    expect(await shownCodes('[data-testid="video-panel"]')).toEqual([]);
  });

  it('keeps the progress, Pause and Cancel in view while a video is made, at 1366x768 and 1920x1080; Cancel is calm', async () => {
    await show('swap');
    await page.getByTestId('source-input').setInputFiles(sampleFile(3));
    await thumbs(page, 'source').first().waitFor(slow);
    await show('video');
    await expect.poll(() => page.getByTestId('video-faces').getByTestId('face-thumb').count(), slow).toBe(1);
    await page.evaluate(() => scrollTo(0, 0));
    await clickThenAtOnce(page, 'video-start', 'pause-button');
    await page.locator('[data-testid="video-job"][data-held="true"]').waitFor(slow);
    const bar = page.getByTestId('video-run');
    const parts = [
      bar.locator('progress'),
      page.getByTestId('resume-button'),
      page.getByTestId('cancel-button'),
    ];
    for (const size of [
      { width: 1366, height: 768 },
      { width: 1920, height: 1080 },
    ]) {
      await page.setViewportSize(size);
      for (const to of ['top', 'bottom'] as const) {
        await page.evaluate((to) => scrollTo(0, to === 'top' ? 0 : document.body.scrollHeight), to);
        for (const part of parts)
          expect(await inViewport(part), `${size.width}x${size.height}, ${to}`).toBe(true);
      }
    }
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.getByTestId('cancel-button').click();
    // The user's own Cancel: a status line, not an alert.
    await expect
      .poll(() => shownCodes('.video-run'), slow)
      .toEqual([{ code: 'CANCELLED', role: 'status', text: expect.any(String) }]);
    expect(await bar.getByTestId('error').getAttribute('data-tone')).toBe('neutral');
  });
});

describe('Layout and accessibility', () => {
  it('nothing overflows sideways at 390 px, on any screen', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    try {
      for (const id of screens) {
        await show(id);
        const overflow = await sidewaysOverflow(page);
        expect({ id, ...overflow }).toEqual({
          id,
          pageWidth: overflow.width,
          width: overflow.width,
          elements: [],
        });
      }
    } finally {
      await page.setViewportSize({ width: 1366, height: 768 });
    }
  });

  it('consent moves the focus into the app, and a skip link leads there from the keyboard', async () => {
    const context = await app.browser.newContext({ viewport: { width: 1366, height: 768 } });
    try {
      const fresh = await context.newPage();
      await fresh.goto(`${app.baseUrl}${appPath}`);
      await fresh.getByTestId('consent-checkbox').check();
      await fresh.getByTestId('consent-accept').click();
      await fresh.getByTestId('consent-dialog').waitFor({ state: 'detached' });
      await expect.poll(() => fresh.evaluate(() => document.activeElement?.id)).toBe('main');

      await fresh.reload();
      await fresh.locator('[data-screen="swap"]').waitFor();
      await fresh.keyboard.press('Tab');
      const skip = fresh.getByTestId('skip-link');
      expect(await skip.evaluate((e) => e === document.activeElement)).toBe(true);
      expect(await inViewport(skip)).toBe(true);
      await fresh.keyboard.press('Enter');
      expect(await fresh.evaluate(() => document.activeElement?.id)).toBe('main');
      expect(await fresh.evaluate(() => location.hash)).toBe('');
    } finally {
      await context.close();
    }
  });

  it('axe-core finds no serious or critical problem on any screen, nor on the consent dialog', async () => {
    for (const id of screens) {
      await show(id);
      expect({ id, problems: await seriousA11yProblems(page) }).toEqual({ id, problems: [] });
    }
    const context = await app.browser.newContext({ viewport: { width: 1366, height: 768 } });
    try {
      const fresh = await context.newPage();
      await fresh.goto(`${app.baseUrl}${appPath}`);
      await fresh.getByTestId('consent-dialog').waitFor();
      expect(await seriousA11yProblems(fresh)).toEqual([]);
    } finally {
      await context.close();
    }
    expect(app.problems).toEqual([]);
  });
});

describe('Settings: storage', () => {
  it('Clear everything deletes the cached models and remembered options, asks first, and keeps the license', async () => {
    await show('swap');
    const keepEyes = await page.getByTestId('keep-eyes').isChecked();
    await page.getByTestId('keep-eyes').setChecked(!keepEyes);
    await show('settings');
    const cachedModels = () =>
      page.evaluate(async () => (await (await caches.open('doppel-models')).keys()).length);
    expect(await cachedModels()).toBeGreaterThan(0);
    const runs = Number(await page.getByTestId('storage-settings').getAttribute('data-clear-runs'));
    await page.getByTestId('clear-everything').click();
    await page.getByTestId('clear-confirm').click();
    await page.locator(`[data-testid="storage-settings"][data-clear-runs="${runs + 1}"]`).waitFor(slow);
    expect(await shownCodes('[data-testid="storage-settings"]')).toEqual([]);
    // The Models screen may open the cache again, empty.
    expect(await cachedModels()).toBe(0);
    expect(await stored('doppel.swap')).toBeNull();
    expect(await setting('keep-eyes').textContent()).toBe(keepEyes ? 'yes' : 'no');
    await show('license');
    await page.locator('[data-testid="license-plan"][data-plan="trial"]').waitFor(slow);
    expect(app.problems).toEqual([]);
  });
});
