import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { minifySync } from 'vite';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startPreview, type Preview } from '../../scripts/lib/preview';

/**
 * The production build (dist/, what `npm start` and a static host serve): no test harness, every
 * script minified but the one chunk that must not be; the harness is served beside it for the CLI,
 * the benchmarks and these tests.
 */

let preview: Preview;

beforeAll(async () => {
  // Builds dist/ (and the harness beside it) when it is missing or stale.
  preview = await startPreview();
});

afterAll(() => preview?.server.close());

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

test('dist/ holds no test harness page or code, and its signed manifest lists none', () => {
  const files = filesUnder('dist');
  expect(files.filter((path) => /automation/.test(path))).toEqual([]);
  for (const path of files.filter((p) => /\.(html|js)$/.test(p))) {
    expect(readFileSync(path, 'utf8'), path).not.toContain('doppelVideoProgress');
  }
  const manifest = JSON.parse(readFileSync('dist/build-manifest.json', 'utf8')) as {
    files: { path: string }[];
  };
  expect(manifest.files.map((f) => f.path).filter((path) => /automation/.test(path))).toEqual([]);
});

test('the preview serves the harness beside the build, with the same isolation headers', async () => {
  const page = await fetch(`${preview.url}/automation.html`);
  expect(page.status).toBe(200);
  expect(page.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
  const html = await page.text();
  expect(html).toContain('Doppel automation page');
  const script = /src="(\/assets\/automation-[^"]+\.js)"/.exec(html)?.[1];
  expect(script).toBeDefined();
  const code = await fetch(`${preview.url}${script}`);
  expect(code.status).toBe(200);
  expect(code.headers.get('content-type')).toMatch(/^text\/javascript/);
  expect(await code.text()).toContain('doppelVideoProgress');
});

test("every script is minified but Human's chunk, whose WASM backend starts threads from its own source text", () => {
  const scripts = filesUnder('dist').filter((path) => path.endsWith('.js'));
  const gain = (path: string) => {
    const code = readFileSync(path, 'utf8');
    return 1 - minifySync(path, code, { module: !path.endsWith('sw.js') }).code.length / code.length;
  };
  const human = scripts.filter((path) => /assets\/human-[^/]+\.js$/.test(path));
  expect(human).toHaveLength(1);
  expect(gain(human[0]!)).toBeGreaterThan(0.2);
  for (const path of scripts.filter((p) => !human.includes(p))) expect(gain(path), path).toBeLessThan(0.05);
});
