import { beforeAll, expect } from 'vitest';
import { launchChromium } from './chromium';
import { startDevServer } from './dev-server';

/** Names of the `window` functions that a check page sets up: no arguments, a promise of the results. */
type PageCheckName = {
  [K in keyof Window]-?: NonNullable<Window[K]> extends () => Promise<unknown> ? K : never;
}[keyof Window];

type PageCheckResult<K extends PageCheckName> =
  NonNullable<Window[K]> extends () => Promise<infer R> ? R : never;

/**
 * Opens `path` (a page of the source tree, e.g. `/tests/browser/kernels/index.html`) on a Vite dev
 * server in Chromium, waits until the page has set `window[name]`, runs it, and closes the browser and
 * the server. Returns what it resolved to and the page's uncaught errors.
 */
async function runPageCheck<K extends PageCheckName>(
  path: string,
  name: K,
): Promise<{ result: PageCheckResult<K>; errors: string[] }> {
  const dev = await startDevServer();
  try {
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(`${dev.url}${path}`);
      await page.waitForFunction((key) => typeof window[key] === 'function', name, { timeout: 60_000 });
      const result = (await page.evaluate(
        (key) => (window[key] as () => Promise<unknown>)(),
        name,
      )) as PageCheckResult<K>;
      return { result, errors };
    } finally {
      await browser.close();
    }
  } finally {
    await dev.server.close();
  }
}

/**
 * Runs a check page once before the suite's tests (see runPageCheck), expecting no uncaught page
 * errors. Returns its results, for the tests to read once it has run.
 */
export function pageCheck<K extends PageCheckName>(path: string, name: K): () => PageCheckResult<K> {
  let results: { value: PageCheckResult<K> } | undefined;
  beforeAll(async () => {
    const { result, errors } = await runPageCheck(path, name);
    expect(errors).toEqual([]);
    results = { value: result };
  });
  return () => {
    if (!results) throw new Error(`${name} did not run`);
    return results.value;
  };
}
