import type { Page } from 'playwright-core';

/** The app on the WASM backend (SwiftShader WebGPU is far too slow for 1920-px photos). */
export const appPath = '/?backend=wasm';

/** Engine start, face analysis of a 1920-px photo, or one swap on the CPU path of a 2-core machine. */
export const slow = { timeout: 90_000 };

/** The face thumbnails of the source or target panel. */
export const thumbs = (page: Page, slot: 'source' | 'target') =>
  page.getByTestId(`${slot}-faces`).getByTestId('face-thumb');

/** Waits until the engine has loaded its models. */
export async function engineReady(page: Page): Promise<void> {
  await page.locator('[data-testid="backend-status"][data-state="ready"]').waitFor(slow);
}
