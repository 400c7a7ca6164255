import type { Page } from 'playwright-core';

/** Calls one of the neural checks page's functions (window.neuralChecks) with `args`, in the page. */
export function neuralCheck<T>(page: Page, call: string, ...args: unknown[]): Promise<T> {
  return page.evaluate(
    ([name, list]) =>
      (window.neuralChecks as unknown as Record<string, (...a: unknown[]) => Promise<T>>)[name as string]!(
        ...(list as unknown[]),
      ),
    [call, args] as const,
  );
}
