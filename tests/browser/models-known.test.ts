import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeContractModels } from '../../scripts/models/generate';
import { knownReleases, type KnownRelease } from '../../src/shared/known-models';
import { seriousA11yProblems, sidewaysOverflow } from './layout-checks';
import { openAppSession, slow, type AppSession } from './ui';

/**
 * The Models screen's known releases in the production build: the list of files Doppel recognises
 * (name, size, SHA-256) with where they are published, and recognition on import. The real weights are
 * not here, so the harness passes a test fixture release, the generated contract swapper, before the
 * page loads (`window.doppelTestFixtureReleases`); the other generated models are not known releases.
 * A whole folder is imported at once with "Choose a folder…" (headless Chromium cannot drag a real
 * folder onto the page; the drop path reads folders with the same entries API the picker fills).
 */

const appPath = '/?backend=wasm#/models';

let app: AppSession;
let page: Page;
let dir: string;
let files: Record<string, string>;

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'doppel-known-'));
  files = writeContractModels(join(dir, 'generated'));
  // A folder as a user keeps it: models at two depths, with a note that is not a model.
  const folder = join(dir, 'my-models');
  mkdirSync(join(folder, 'buffalo_l'), { recursive: true });
  copyFileSync(files['swapper.onnx']!, join(folder, 'swapper.onnx'));
  copyFileSync(files['embedder.onnx']!, join(folder, 'buffalo_l', 'embedder.onnx'));
  writeFileSync(join(folder, 'README.txt'), 'where these came from');
  const fixture: KnownRelease = {
    sha256: sha256(files['swapper.onnx']!),
    bytes: readFileSync(files['swapper.onnx']!).byteLength,
    fileName: 'swapper.onnx',
    contract: 'swapper/inswapper_128',
    model: 'contract swapper',
    precision: 'fp32',
    release: 'test fixture',
    sources: ['scripts/models/generate.ts'],
  };
  app = await openAppSession({
    onContext: (context) =>
      context.addInitScript(
        (releases) => {
          (window as unknown as { doppelTestFixtureReleases: unknown }).doppelTestFixtureReleases = releases;
        },
        [fixture],
      ),
  });
  ({ page } = app);
});

afterAll(async () => {
  await app?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const results = () =>
  page.getByTestId('import-result').evaluateAll((nodes) =>
    nodes.map((n) => ({
      file: n.getAttribute('data-file'),
      state: n.getAttribute('data-state'),
      release: n.getAttribute('data-release'),
      text: n.textContent ?? '',
    })),
  );

describe('Known model releases', () => {
  it('lists each known file with its size and SHA-256, where such files are published, and that Doppel never downloads them', async () => {
    await page.goto(`${app.baseUrl}${appPath}`);
    const section = page.getByTestId('known-releases');
    await section.waitFor(slow);
    const shown = await page
      .getByTestId('known-release')
      .evaluateAll((rows) =>
        rows.map((r) => ({ sha: r.getAttribute('data-sha256'), text: r.textContent ?? '' })),
      );
    expect(shown.map((r) => r.sha)).toEqual(knownReleases.map((r) => r.sha256));
    const inswapper = shown.find((r) => r.text.startsWith('inswapper_128.onnx'));
    expect(inswapper?.text).toContain('e4a3f08c753cb72d04e10aa0f7dbe3deebbf39567d4ead6dce08e98aa49e16af');
    expect(inswapper?.text).toContain('554,253,681 bytes');
    const words = (await section.locator('p').first().textContent()) ?? '';
    expect(words).toMatch(/never downloads them by itself/);
    expect(words).toMatch(/GitHub releases page/);
    expect(words).toMatch(/Hugging Face/);
    // The mask models have no listed release: the screen says they are checked by their graph only.
    const none = (await page.getByTestId('known-releases-none').textContent()) ?? '';
    expect(none).toMatch(/XSeg occlusion mask.*BiSeNet face parser/);
    // The screen still fits a phone, and axe-core finds nothing serious.
    await page.setViewportSize({ width: 390, height: 844 });
    expect((await sidewaysOverflow(page)).elements).toEqual([]);
    await page.setViewportSize({ width: 1366, height: 768 });
    expect(await seriousA11yProblems(page)).toEqual([]);
  });

  it('"Choose a folder…" imports every .onnx file in it at once: a known release is named, another file is checked by its graph', async () => {
    const section = page.getByTestId('models-import');
    const runs = Number(await section.getAttribute('data-import-runs'));
    await page.getByTestId('import-folder').setInputFiles(join(dir, 'my-models'));
    await page.locator(`[data-testid="models-import"][data-import-runs="${runs + 1}"]`).waitFor(slow);
    const list = await results();
    expect(list.map((r) => [r.file, r.state, r.release])).toEqual([
      ['embedder.onnx', 'installed', 'unknown'],
      ['swapper.onnx', 'installed', 'known'],
    ]);
    expect(list[0]!.text).toBe(
      'embedder.onnx: Not a known release; its graph fits the embedder contract (ArcFace w600k_r50 (insightface buffalo_l)). Installed.',
    );
    expect(list[1]!.text).toBe(
      'swapper.onnx: This is contract swapper, fp32 (test fixture), a known release; its graph fits the swapper contract. Installed.',
    );
    const status = (file: string) =>
      page.locator(
        `[data-testid="imported-row"][data-sha256="${sha256(files[file]!)}"] [data-testid="imported-status"]`,
      );
    expect(await status('swapper.onnx').getAttribute('data-release')).toBe('known');
    expect(await status('swapper.onnx').textContent()).toContain(
      'Known release: contract swapper, fp32 (test fixture)',
    );
    expect(await status('embedder.onnx').textContent()).toContain('Not a known release');
    expect(await page.getByTestId('import-errors').getByTestId('error').count()).toBe(0);
    expect(await page.getByTestId('import-summary').textContent()).toBe('2 files installed.');
    expect(app.problems).toEqual([]);
  });
});
