import type { Browser, BrowserContext, LaunchOptions, Page } from 'playwright-core';
import type { PreviewServer } from 'vite';
import { startPreview } from '../../scripts/lib/preview';
import { launchChromium } from './chromium';

/** The app on the WASM backend (SwiftShader WebGPU is far too slow for 1920-px photos). */
export const appPath = '/?backend=wasm';

/** Engine start, face analysis of a 1920-px photo, or one swap on the CPU path of a 2-core machine. */
export const slow = { timeout: 90_000 };

/** The face thumbnails of the source or target panel. */
export const thumbs = (page: Page, slot: 'source' | 'target') =>
  page.getByTestId(`${slot}-faces`).getByTestId('face-thumb');

/**
 * Clicks `first`, then `then` the moment it shows, in the page itself: before the worker (a task
 * away at least) can answer, so even a very fast job is caught while it runs.
 */
export async function clickThenAtOnce(page: Page, first: string, then: string): Promise<void> {
  await page.evaluate(
    ([first, then]) =>
      new Promise<void>((resolve) => {
        const observer = new MutationObserver(() => {
          const button = document.querySelector<HTMLButtonElement>(`[data-testid="${then}"]`);
          if (!button) return;
          observer.disconnect();
          button.click();
          resolve();
        });
        observer.observe(document.body, { childList: true, subtree: true });
        document.querySelector<HTMLButtonElement>(`[data-testid="${first}"]`)!.click();
      }),
    [first, then] as const,
  );
}

/** Waits until the engine has loaded its models. */
export async function engineReady(page: Page): Promise<void> {
  await page.locator('[data-testid="backend-status"][data-state="ready"]').waitFor(slow);
}

/**
 * Waits until the service worker holds the app shell, the models and this device's wasm: from then
 * on the page works with the network cut, as the installed app does offline.
 */
export async function offlineReady(page: Page): Promise<void> {
  await page.waitForFunction(() => document.documentElement.dataset.offline === 'ready', undefined, slow);
}

/**
 * The shown result against the target photo, pixel by pixel: how many pixels differ by more than 30
 * (summed over RGB) and how many are byte-identical in RGB.
 */
export function resultAgainstTarget(page: Page) {
  return page.evaluate(async () => {
    const result = document.querySelector<HTMLCanvasElement>('[data-testid="result-canvas"]')!;
    const before = document.querySelector<HTMLImageElement>('[data-testid="target-preview"]')!;
    await before.decode();
    const canvas = new OffscreenCanvas(result.width, result.height);
    const context = canvas.getContext('2d')!;
    context.drawImage(before, 0, 0, result.width, result.height);
    const a = context.getImageData(0, 0, result.width, result.height).data;
    const b = result.getContext('2d')!.getImageData(0, 0, result.width, result.height).data;
    let changed = 0;
    let identical = 0;
    for (let i = 0; i < a.length; i += 4) {
      const difference = [0, 1, 2].reduce((sum, c) => sum + Math.abs(a[i + c]! - b[i + c]!), 0);
      if (difference > 30) changed++;
      if (difference === 0) identical++;
    }
    return { changed, identical, width: result.width, height: result.height };
  });
}

/** The production build in Chromium, as the UI tests drive it. */
export interface AppSession {
  server: PreviewServer;
  baseUrl: string;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** The page's uncaught errors, in order. */
  problems: string[];
  /** Closes the context, the browser and the server. */
  close(): Promise<void>;
}

export interface AppSessionOptions {
  /** Runs on the preview server before the browser starts: request hooks, middleware. */
  onServer?: (server: PreviewServer) => void;
  /** Chromium launch options (e.g. fake camera flags), instead of the defaults. */
  launch?: LaunchOptions;
  /** Runs on the context before the page opens, after consent is given: more init scripts. */
  onContext?: (context: BrowserContext) => Promise<unknown>;
}

/**
 * Serves the production build (scripts/lib/preview.ts) and opens one page on it in Chromium: a
 * 1366x768 context in which consent is already given, with the page's uncaught errors collected.
 */
export async function openAppSession(options: AppSessionOptions = {}): Promise<AppSession> {
  const { server, url: baseUrl } = await startPreview();
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  const close = async () => {
    await context?.close();
    await browser?.close();
    await server.close();
  };
  try {
    options.onServer?.(server);
    browser = await launchChromium(options.launch);
    context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    await context.addInitScript(() => localStorage.setItem('doppel.consent', 'yes'));
    await options.onContext?.(context);
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(error.message));
    return { server, baseUrl, browser, context, page, problems, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * Gets this browser the 7-day trial through the License screen, so that features outside the Free
 * plan unlock (the page must already show the app; it is left on the License screen). Throws with
 * the screen's error when the server refuses.
 */
export async function startTrial(page: Page): Promise<void> {
  await page.getByRole('link', { name: 'License', exact: true }).click();
  const screen = page.locator('[data-screen="license"]');
  const plan = screen.locator('[data-testid="license-plan"]:not([data-plan="loading"])');
  await plan.waitFor(slow);
  if ((await plan.getAttribute('data-plan')) !== 'free') return;
  await screen.getByTestId('start-trial').click();
  await screen
    .locator('[data-testid="license-plan"][data-plan="trial"], [data-testid="error"]')
    .first()
    .waitFor(slow);
  const error = screen.getByTestId('error');
  if ((await error.count()) > 0) throw new Error(`the trial did not start: ${await error.textContent()}`);
}
