import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';

/**
 * The tfjs WASM binaries we serve (from @tensorflow/tfjs-backend-wasm) must be the build of the tfjs
 * that Human bundles and runs, so package.json pins that exact version.
 */
test('the served tfjs wasm binaries are the version of the tfjs Human bundles, pinned exactly', async () => {
  const bundled = (await import(
    new URL('../../node_modules/@vladmandic/human/dist/tfjs.version.js', import.meta.url).href
  )) as { version: Record<string, string> };
  const read = (path: string) => JSON.parse(readFileSync(new URL(path, import.meta.url), 'utf8'));
  const installed = read('../../node_modules/@tensorflow/tfjs-backend-wasm/package.json').version;
  const pinned = read('../../package.json').dependencies['@tensorflow/tfjs-backend-wasm'];
  expect(installed).toBe(bundled.version['tfjs-backend-wasm']);
  expect(pinned).toBe(installed);
});
