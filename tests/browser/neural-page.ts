import type { Browser, Page } from 'playwright-core';
import type { ViteDevServer } from 'vite';
import { afterAll, beforeAll } from 'vitest';
import { writeContractModels } from '../../scripts/models/generate';
import { launchChromium } from './chromium';
import { startDevServer } from './dev-server';

/** Calls one of the neural checks page's functions (window.neuralChecks) with `args`, in the page. */
function neuralCheck<T>(page: Page, call: string, ...args: unknown[]): Promise<T> {
  return page.evaluate(
    ([name, list]) =>
      (window.neuralChecks as unknown as Record<string, (...a: unknown[]) => Promise<T>>)[name as string]!(
        ...(list as unknown[]),
      ),
    [call, args] as const,
  );
}

/**
 * The neural checks page for a test file (or describe block): the contract models written, the page
 * open in Chromium, served by the Vite dev server, before its tests, and closed after them. Returns
 * the page's getter, the page errors seen so far, and `checks` to call its functions.
 */
export function useNeuralPage() {
  let server: ViteDevServer | undefined;
  let browser: Browser | undefined;
  let page: Page | undefined;
  const errors: string[] = [];
  beforeAll(async () => {
    writeContractModels('.cache/models/contract');
    const dev = await startDevServer();
    server = dev.server;
    browser = await launchChromium();
    page = await browser.newPage();
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${dev.url}/tests/browser/neural/index.html`);
    await page.waitForFunction(() => window.neuralChecks !== undefined, undefined, { timeout: 120_000 });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  return {
    page: () => page!,
    errors,
    checks: <T>(call: string, ...args: unknown[]) => neuralCheck<T>(page!, call, ...args),
  };
}
