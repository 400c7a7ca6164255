import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { extractEmap } from '../../scripts/models/emap';
import { writeContractModels } from '../../scripts/models/generate';
import { decodeModel, encodeModel, graphSignature } from '../../scripts/models/onnx';
import { emapFromInitializer, readOnnxGraph } from '../../src/shared/onnx-graph';
import { samplePath } from '../fixtures/samples';
import { offlineReady, openAppSession, type AppSession } from './ui';

/**
 * "Import model files" on the Models screen of the production build: contract models generated into a
 * temp folder are imported through the file input, checked against their role's contract, hashed and
 * kept in the origin private file system (OPFS), across reloads and with the network cut (the server
 * drops every socket, as in offline.test.ts); wrong or truncated files are refused with their code.
 */

const appPath = '/?backend=wasm#/models';
/** Engine start on the CPU path of a 2-core machine. */
const slow = { timeout: 90_000 };

let app: AppSession;
let page: Page;
let dir: string;
let files: Record<string, string>;
/** While true the server answers nothing (its sockets are cut), as if the machine were offline. */
let cut = false;

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'doppel-import-'));
  files = writeContractModels(dir);
  const swapper = readFileSync(files['swapper.onnx']!);
  // The swapper with its `target` input renamed: same shapes, wrong names for an 'exact' contract.
  const renamed = decodeModel(swapper);
  for (const input of renamed.graph?.input ?? []) if (input.name === 'target') input.name = 'image';
  for (const n of renamed.graph?.node ?? [])
    n.input = n.input.map((name) => (name === 'target' ? 'image' : name));
  files['renamed.onnx'] = join(dir, 'renamed.onnx');
  writeFileSync(files['renamed.onnx'], encodeModel(renamed));
  files['truncated.onnx'] = join(dir, 'truncated.onnx');
  writeFileSync(files['truncated.onnx'], swapper.subarray(0, Math.floor(swapper.length / 2)));
  // A photo saved under a model's name: not protobuf at all.
  files['photo.onnx'] = join(dir, 'photo.onnx');
  writeFileSync(files['photo.onnx'], readFileSync(samplePath(1)));

  app = await openAppSession({
    onServer: (server) => {
      server.httpServer.prependListener('request', (request: IncomingMessage) => {
        if (cut) request.socket.destroy();
      });
    },
  });
  ({ page } = app);
});

afterAll(async () => {
  cut = false;
  await app?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const rows = () => page.getByTestId('imported-row');
const row = (sha: string) => page.locator(`[data-testid="imported-row"][data-sha256="${sha}"]`);

/** File names in OPFS `imported-models/`, sorted. */
function storedFiles(): Promise<string[]> {
  return page.evaluate(async () => {
    const root = await navigator.storage.getDirectory();
    const dir = await root.getDirectoryHandle('imported-models').catch(() => null);
    if (!dir) return [];
    const names: string[] = [];
    for await (const name of (dir as unknown as { keys(): AsyncIterable<string> }).keys()) names.push(name);
    return names.sort();
  });
}

async function importFile(name: string, role = 'auto'): Promise<void> {
  const section = page.getByTestId('models-import');
  const runs = Number(await section.getAttribute('data-import-runs'));
  await page.getByTestId('import-role').selectOption(role);
  await page.getByTestId('import-input').setInputFiles(files[name]!);
  await page.locator(`[data-testid="models-import"][data-import-runs="${runs + 1}"]`).waitFor(slow);
}

const errors = () =>
  page
    .getByTestId('import-errors')
    .getByTestId('error')
    .evaluateAll((nodes) =>
      nodes.map((n) => ({ code: n.getAttribute('data-code'), text: n.textContent ?? '' })),
    );

describe('Import model files', () => {
  it("the app's ONNX reader agrees with the scripts' protobufjs reader on every contract model", () => {
    for (const [name, path] of Object.entries(files)) {
      const bytes = readFileSync(path);
      if (name === 'truncated.onnx') {
        expect(() => readOnnxGraph(bytes)).toThrow(/truncated or damaged/);
        continue;
      }
      if (name === 'photo.onnx') {
        expect(() => readOnnxGraph(bytes)).toThrow(/not an ONNX model/);
        continue;
      }
      const graph = readOnnxGraph(bytes);
      expect(graph.signature, name).toEqual(graphSignature(decodeModel(bytes)));
      if (name === 'swapper.onnx') {
        expect(
          Buffer.from(emapFromInitializer(graph.lastInitializer)).equals(Buffer.from(extractEmap(bytes))),
        ).toBe(true);
      }
    }
  });

  const swapperSha = () => sha256(files['swapper.onnx']!);

  it('imports a contract swapper: installed, with its size, SHA-256 and emap kept in OPFS', async () => {
    await page.goto(`${app.baseUrl}${appPath}`);
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, slow);
    await offlineReady(page);
    await page.getByTestId('imported-none').waitFor();
    await importFile('swapper.onnx');
    const sha = swapperSha();
    const imported = row(sha);
    await imported.waitFor();
    expect(await imported.getAttribute('data-state')).toBe('installed');
    expect(await imported.getByTestId('imported-role').textContent()).toBe('swapper');
    expect(await imported.getByTestId('imported-enables').textContent()).toMatch(/face swap/);
    expect(await imported.getByTestId('imported-license').textContent()).toMatch(/non-commercial/);
    const bytes = readFileSync(files['swapper.onnx']!).length;
    expect(await imported.getByTestId('imported-size').textContent()).toBe(mb(bytes));
    expect(await imported.getByTestId('imported-status').textContent()).toContain(sha.slice(0, 12));
    expect(await storedFiles()).toEqual([`${sha}.emap.bin`, `${sha}.json`, `${sha}.onnx`]);
    const neural = (contract: string) =>
      page.locator(`[data-testid="neural-model-row"][data-contract="${contract}"]`);
    expect(await neural('swapper/inswapper_128').getAttribute('data-state')).toBe('installed');
    expect(await neural('swapper/inswapper_128').getByTestId('neural-model-status').textContent()).toBe(
      'Installed: imported swapper.onnx',
    );
    expect(await neural('embedder/arcface_w600k_r50').getAttribute('data-state')).toBe('missing');
    expect(await page.getByTestId('neural-model-row').count()).toBe(6);
    const stored = await page.evaluate(async (name) => {
      const root = await navigator.storage.getDirectory();
      const dir = await root.getDirectoryHandle('imported-models');
      const read = async (file: string) =>
        Array.from(new Uint8Array(await (await (await dir.getFileHandle(file)).getFile()).arrayBuffer()));
      return { onnx: await read(`${name}.onnx`), emap: await read(`${name}.emap.bin`) };
    }, sha);
    expect(createHash('sha256').update(Uint8Array.from(stored.onnx)).digest('hex')).toBe(sha);
    expect(
      Buffer.from(stored.emap).equals(Buffer.from(extractEmap(readFileSync(files['swapper.onnx']!)))),
    ).toBe(true);
    expect(await errors()).toEqual([]);
  });

  it('keeps it across a reload and lists it with the network cut', async () => {
    await page.reload();
    await row(swapperSha()).waitFor(slow);
    cut = true;
    try {
      await page.reload();
      await row(swapperSha()).waitFor(slow);
      expect(await rows().count()).toBe(1);
    } finally {
      cut = false;
    }
  });

  it('infers the role: the embedder imported with "Detect from the file" is an embedder', async () => {
    await importFile('embedder.onnx');
    const imported = row(sha256(files['embedder.onnx']!));
    await imported.waitFor();
    expect(await imported.getByTestId('imported-role').textContent()).toBe('embedder');
    expect(await rows().count()).toBe(2);
  });

  it('refuses files that do not fit, or are cut short, and keeps what is installed', async () => {
    const before = await storedFiles();
    expect(before).toHaveLength(5);

    // Each message says what the file is and what was expected, in user words.
    await importFile('embedder.onnx', 'swapper');
    let shown = await errors();
    expect(shown).toHaveLength(1);
    expect(shown[0]!.code).toBe('MODEL_CONTRACT');
    expect(shown[0]!.text).toMatch(
      /embedder\.onnx is a face identity model \(embedder\), not a face swapper/,
    );
    expect(shown[0]!.text).toMatch(/inswapper_128\.onnx/);
    expect(shown[0]!.text).toMatch(/Choose "embedder" in Role/);

    await importFile('renamed.onnx', 'swapper');
    shown = await errors();
    expect(shown[0]!.code).toBe('MODEL_CONTRACT');
    expect(shown[0]!.text).toMatch(/renamed\.onnx is an ONNX model, but not a face swapper/);
    expect(shown[0]!.text).toMatch(/named 'image', expected 'target'/);

    await importFile('renamed.onnx');
    expect((await errors())[0]!.code).toBe('MODEL_CONTRACT');

    await importFile('truncated.onnx', 'swapper');
    shown = await errors();
    expect(shown[0]!.code).toBe('MODEL_UNREADABLE');
    expect(shown[0]!.text).toMatch(
      /truncated\.onnx is an ONNX model that is cut short: it stops after [\d.]+ [kMG]?B/,
    );

    await importFile('photo.onnx');
    shown = await errors();
    expect(shown[0]!.code).toBe('MODEL_UNREADABLE');
    expect(shown[0]!.text).toMatch(/photo\.onnx is a picture or document, not a model/);
    expect(shown[0]!.text).toMatch(/expected an ONNX model file \(\.onnx\)/);
    for (const { text } of await errors()) expect(text).not.toMatch(/wire type|varint|field 0/);

    expect(await storedFiles()).toEqual(before);
    expect(await rows().count()).toBe(2);
    await row(swapperSha()).waitFor();
  });

  it('Remove deletes the files from the browser', async () => {
    await row(sha256(files['embedder.onnx']!)).getByTestId('imported-remove').click();
    await expect.poll(() => rows().count()).toBe(1);
    await row(swapperSha()).getByTestId('imported-remove').click();
    await page.getByTestId('imported-none').waitFor();
    expect(await storedFiles()).toEqual([]);
    expect(app.problems).toEqual([]);
  });
});
