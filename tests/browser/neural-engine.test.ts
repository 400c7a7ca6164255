import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { NeuralRun } from './neural/neural-checks';
import { useNeuralPage } from './neural-page';

/**
 * The neural engine end to end in real Chromium with the contract models (scripts/models/generate.ts),
 * imported into OPFS by the app's own import code, on the WASM and the WebGPU (SwiftShader) execution
 * providers: face-api's demo photos scaled to 480 px wide (sample2 has 3 faces, sample6 has 4).
 */
const models = '/.cache/models/contract';
const photos = '/node_modules/@vladmandic/face-api/demo';
const width = 480;

const bytes = (b64: string) => Buffer.from(b64, 'base64');

/** Largest byte difference inside the touched pixels, and how many untouched pixels changed. */
function compareToTarget(run: NeuralRun) {
  const out = bytes(run.output);
  const target = bytes(run.target);
  const touched = bytes(run.touched);
  let changedInside = 0;
  let changedOutside = 0;
  let touchedCount = 0;
  for (let i = 0; i < touched.length; i++) {
    const changed = [0, 1, 2, 3].some((c) => out[4 * i + c] !== target[4 * i + c]);
    if (touched[i]) {
      touchedCount++;
      if (changed) changedInside++;
    } else if (changed) changedOutside++;
  }
  return { touchedCount, changedInside, changedOutside };
}

/**
 * Two runs of the same swap (WASM and WebGPU): their touched masks may differ only at the mask's
 * edge, where alpha is a hair above zero on one provider and zero on the other (float32 rounding):
 * `maskMismatch` counts those pixels; `max` is the largest byte difference where the masks agree.
 */
function compareRuns(a: NeuralRun, b: NeuralRun) {
  const x = bytes(a.output);
  const y = bytes(b.output);
  const ta = bytes(a.touched);
  const tb = bytes(b.touched);
  let max = 0;
  let maskMismatch = 0;
  let touchedCount = 0;
  for (let i = 0; i < ta.length; i++) {
    touchedCount += ta[i] ? 1 : 0;
    if (Boolean(ta[i]) !== Boolean(tb[i])) {
      maskMismatch++;
      continue;
    }
    for (let c = 0; c < 4; c++) max = Math.max(max, Math.abs(x[4 * i + c]! - y[4 * i + c]!));
  }
  return { max, maskMismatch, touchedCount };
}

/** The runs agree as the GPU and CPU kernels do: within 1/255 where the masks agree, which is all but 0.1%. */
function expectSameSwap(a: NeuralRun, b: NeuralRun) {
  const { max, maskMismatch, touchedCount } = compareRuns(a, b);
  expect(maskMismatch).toBeLessThanOrEqual(touchedCount * 0.001);
  expect(max).toBeLessThanOrEqual(1);
}

function maxDifference(a: NeuralRun, b: NeuralRun) {
  const x = bytes(a.output);
  const y = bytes(b.output);
  let max = 0;
  for (let i = 0; i < x.length; i++) max = Math.max(max, Math.abs((x[i] as number) - (y[i] as number)));
  return max;
}

describe('neural engine with the contract models', () => {
  const neural = useNeuralPage();
  const { checks, errors } = neural;
  let onWasm: NeuralRun;
  let bothOnWasm: NeuralRun;

  const loadPhotos = async () => {
    expect(await checks('load', 'source', `${photos}/sample2.jpg`, width)).toBe(3);
    expect(await checks('load', 'other', `${photos}/sample3.jpg`, width)).toBeGreaterThan(0);
    expect(await checks('load', 'target', `${photos}/sample6.jpg`, width)).toBe(4);
  };

  const importContractModels = () =>
    checks('importModels', {
      swapper: `${models}/swapper.onnx`,
      embedder: `${models}/embedder.onnx`,
      enhancer: `${models}/enhancer.onnx`,
      masker: [`${models}/masker-occlusion.onnx`, `${models}/masker-region.onnx`],
    });

  const swapMasked = (masks: string[]) => checks<NeuralRun>('swap', 'source', 'target', { masks });

  beforeAll(importContractModels);

  it('ONNX Runtime gives the same contract-model outputs on WebGPU (SwiftShader) and WASM, within 1e-4', async () => {
    for (const role of ['swapper', 'embedder', 'detector']) {
      const { maxDiff, values } = await checks<{ maxDiff: number; values: number }>(
        'compareProviders',
        `${models}/${role}.onnx`,
      );
      expect(values).toBeGreaterThan(500);
      expect(maxDiff).toBeLessThanOrEqual(1e-4);
    }
  });

  it('on WASM: every target face is swapped, and pixels outside the mask equal the target', async () => {
    await checks('start', 'wasm');
    await loadPhotos();
    onWasm = await checks<NeuralRun>('swap', 'source', 'target');
    expect(onWasm).toMatchObject({ engine: 'neural', provider: 'wasm', facesSwapped: 4 });
    const { touchedCount, changedInside, changedOutside } = compareToTarget(onWasm);
    expect(touchedCount).toBeGreaterThan(4 * 400);
    expect(changedInside).toBeGreaterThan(touchedCount / 2);
    expect(changedOutside).toBe(0);
    for (const stage of ['embed', 'align', 'swap', 'paste']) expect(onWasm.ms[stage]).toBeGreaterThan(0);
  });

  it('the occlusion and the region mask combine: a pixel either keeps stays the target, one both allow is swapped', async () => {
    const occlusion = await swapMasked(['occlusion']);
    const region = await swapMasked(['region']);
    const both = await swapMasked(['region', 'occlusion']);
    bothOnWasm = both;
    expect(both.ms.mask).toBeGreaterThan(0);
    const byOcclusion = bytes(occlusion.touched);
    const byRegion = bytes(region.touched);
    const byBoth = bytes(both.touched);
    const out = bytes(both.output);
    const target = bytes(both.target);
    const changed = (i: number) => [0, 1, 2, 3].some((c) => out[4 * i + c] !== target[4 * i + c]);
    // The contract maskers disagree (occlusion follows brightness, region redness): count the pixels
    // each keeps that the other lets through, and what the combined swap did with them.
    const count = { onlyRegionKeeps: 0, onlyOcclusionKeeps: 0, bothAllow: 0, changedWhereKept: 0 };
    let swapped = 0;
    let notTheMinimum = 0;
    for (let i = 0; i < byBoth.length; i++) {
      const o = Boolean(byOcclusion[i]);
      const r = Boolean(byRegion[i]);
      if (Boolean(byBoth[i]) !== (o && r)) notTheMinimum++;
      if (o !== r) {
        count[o ? 'onlyRegionKeeps' : 'onlyOcclusionKeeps']++;
        if (changed(i)) count.changedWhereKept++;
      } else if (o) {
        count.bothAllow++;
        if (changed(i)) swapped++;
      }
    }
    expect(count.onlyRegionKeeps).toBeGreaterThan(500);
    expect(count.onlyOcclusionKeeps).toBeGreaterThan(500);
    expect(count.changedWhereKept).toBe(0);
    expect(notTheMinimum).toBe(0);
    expect(swapped).toBeGreaterThan(count.bothAllow / 2);
    expect(compareToTarget(both).changedOutside).toBe(0);
  });

  it('the result follows the source identity; several sources are averaged; pixel boost and restoration change it', async () => {
    const other = await checks<NeuralRun>('swap', 'other', 'target');
    const averaged = await checks<NeuralRun>('swap', 'source', 'target', {}, ['other']);
    const boosted = await checks<NeuralRun>('swap', 'source', 'target', { pixelBoost: 256 });
    const restored = await checks<NeuralRun>('swap', 'source', 'target', { restore: 1 });
    expect(maxDifference(onWasm, other)).toBeGreaterThan(10);
    expect(maxDifference(averaged, onWasm)).toBeGreaterThan(2);
    expect(maxDifference(averaged, other)).toBeGreaterThan(2);
    expect(maxDifference(boosted, onWasm)).toBeGreaterThan(2);
    // The contract enhancer reverses the colour channels: restoration at full blend shows it.
    expect(maxDifference(restored, onWasm)).toBeGreaterThan(10);
    expect(restored.ms.restore).toBeGreaterThan(0);
    for (const run of [other, averaged, boosted, restored])
      expect(compareToTarget(run).changedOutside).toBe(0);
  });

  it('on WebGPU (SwiftShader): the same result as on WASM, within 1/255 where the masks agree (all but 0.1%), with the box mask alone and with both model masks', async () => {
    await checks('start', 'webgpu');
    await loadPhotos();
    const onGpu = await checks<NeuralRun>('swap', 'source', 'target');
    expect(onGpu).toMatchObject({ engine: 'neural', provider: 'webgpu', facesSwapped: 4 });
    expectSameSwap(onGpu, onWasm);
    expect(compareToTarget(onGpu).changedOutside).toBe(0);
    const bothOnGpu = await swapMasked(['occlusion', 'region']);
    expect(bothOnGpu.provider).toBe('webgpu');
    expectSameSwap(bothOnGpu, bothOnWasm);
    expect(compareToTarget(bothOnGpu).changedOutside).toBe(0);
  });

  it('a GPU device lost in the middle of a swap: finished on WASM, with a notice, same result', async () => {
    const engine = neural
      .page()
      .workers()
      .find((worker) => worker.url().includes('engine.worker'));
    expect(engine).toBeDefined();
    // Destroys every GPU device of the engine worker at the third queue submission of this swap.
    await engine!.evaluate(() => {
      const devices = new Set<GPUDevice>();
      const createBuffer = GPUDevice.prototype.createBuffer;
      GPUDevice.prototype.createBuffer = function (this: GPUDevice, descriptor) {
        devices.add(this);
        return createBuffer.call(this, descriptor);
      };
      const submit = GPUQueue.prototype.submit;
      let submits = 0;
      GPUQueue.prototype.submit = function (this: GPUQueue, buffers) {
        submit.call(this, buffers);
        if (++submits === 3) devices.forEach((device) => device.destroy());
      };
    });
    const recovered = await checks<NeuralRun>('swap', 'source', 'target');
    expect(recovered.provider).toBe('wasm');
    expect(recovered.notice).toMatch(/GPU was lost/);
    expectSameSwap(recovered, onWasm);
    expect(compareToTarget(recovered).changedOutside).toBe(0);
  });

  it('reads the enhancer and each masker from storage only for a swap that uses it', async () => {
    const stored = (file: string) =>
      `${createHash('sha256')
        .update(readFileSync(`.cache/models/contract/${file}`))
        .digest('hex')}.onnx`;
    const started = neural.page().waitForEvent('worker', (worker) => worker.url().includes('engine.worker'));
    await checks('start', 'wasm');
    const engine = await started;
    await engine.evaluate(() => {
      const reads: string[] = [];
      Object.assign(globalThis, { modelReads: reads });
      const getFile = FileSystemFileHandle.prototype.getFile;
      FileSystemFileHandle.prototype.getFile = function (this: FileSystemFileHandle) {
        reads.push(this.name);
        return getFile.call(this);
      };
    });
    const reads = () => engine.evaluate(() => (globalThis as unknown as { modelReads: string[] }).modelReads);
    await loadPhotos();

    await checks('swap', 'source', 'target');
    expect(await reads()).toContain(stored('swapper.onnx'));
    expect(await reads()).not.toContain(stored('enhancer.onnx'));
    expect(await reads()).not.toContain(stored('masker-occlusion.onnx'));
    expect(await reads()).not.toContain(stored('masker-region.onnx'));

    const restored = await checks<NeuralRun>('swap', 'source', 'target', {
      restore: 0.5,
      masks: ['occlusion'],
    });
    expect(restored.ms.restore).toBeGreaterThan(0);
    expect(await reads()).toEqual(
      expect.arrayContaining([stored('enhancer.onnx'), stored('masker-occlusion.onnx')]),
    );
    expect(await reads()).not.toContain(stored('masker-region.onnx'));
  });

  it('a damaged stored model is refused with MODEL_CORRUPT, and nothing installed is removed', async () => {
    await checks('damageImported', 'swapper');
    await checks('start', 'wasm');
    await loadPhotos();
    const error = await checks<{ code: string; message: string } | null>('swapError', 'source', 'target');
    expect(error?.code).toBe('MODEL_CORRUPT');
    expect(error?.message).toMatch(/swapper\.onnx.*import the file again/);
    expect((await checks<string[]>('installed')).sort()).toEqual([
      'embedder',
      'enhancer',
      'masker',
      'masker',
      'swapper',
    ]);
  });

  it('an import into full storage is refused with a clear message, and leaves no files behind', async () => {
    await importContractModels();
    for (const how of ['estimate', 'write']) {
      const before = await checks<string[]>('installed');
      const refused = await checks<{ code: string; message: string; files: string[] }>(
        'importWhenFull',
        `${models}/detector.onnx`,
        'detector',
        how,
      );
      expect(refused.code).toBe('STORAGE_FULL');
      expect(refused.message).toMatch(how === 'estimate' ? /not enough storage space/ : /quota/i);
      expect(refused.files.filter((name) => name.endsWith('.json'))).toHaveLength(5);
      expect(refused.files).toHaveLength(5 * 2 + 1);
      expect(await checks<string[]>('installed')).toEqual(before);
    }
  });

  it('with a SCRFD detector installed, its pass runs before the swap', async () => {
    await checks('importModels', {
      swapper: `${models}/swapper.onnx`,
      embedder: `${models}/embedder.onnx`,
      detector: `${models}/detector.onnx`,
    });
    await checks('start', 'wasm');
    await loadPhotos();
    const run = await checks<NeuralRun>('swap', 'source', 'target');
    expect(run.facesSwapped).toBe(4);
    expect(run.ms.detect).toBeGreaterThan(0);
    expect(compareToTarget(run).changedOutside).toBe(0);
  });

  it('without a swapper the neural engine says what to import', async () => {
    await checks('importModels', { embedder: `${models}/embedder.onnx` });
    await checks('start', 'wasm');
    await loadPhotos();
    const error = await checks<{ code: string; message: string } | null>('swapError', 'source', 'target');
    expect(error?.code).toBe('MODEL_LOAD_FAILED');
    expect(error?.message).toMatch(/face swapper \(inswapper_128\).*Models screen/);
    expect(errors).toEqual([]);
  });
});
