import { importModelFile, listImported, removeImported } from '../../../src/app/models/imported-models';
import { requestGpuDevice } from '../../../src/gpu/device';
import { bytesToBase64 } from '../../../src/shared/bytes';
import type { ModelRole } from '../../../src/shared/model-contracts';
import { loadOrt } from '../../../src/workers/neural/ort';
import { EngineClient, type NeuralOptions } from '../../../src/workers/engine/client';
import type { BlendOptions } from '../../../src/shared/blend';
import type { AnalyzeResult } from '../../../src/workers/engine/api';

/**
 * Drives the engine worker with the neural engine on the contract models (imported into OPFS by the
 * app's own import code), so a test can compare providers and read the result's pixels.
 */
export interface NeuralRun {
  provider: string | undefined;
  engine: string;
  notice: string | undefined;
  width: number;
  height: number;
  facesSwapped: number;
  ms: Record<string, number>;
  /** RGBA bytes of the result and the target, and the touched map, base64. */
  output: string;
  target: string;
  touched: string;
}

async function photo(url: string, width: number): Promise<ImageBitmap> {
  const blob = await (await fetch(url)).blob();
  return createImageBitmap(blob, { resizeWidth: width, resizeQuality: 'high' });
}

function pixels(bitmap: ImageBitmap): Uint8Array {
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const context = canvas.getContext('2d')!;
  context.drawImage(bitmap, 0, 0);
  return new Uint8Array(context.getImageData(0, 0, bitmap.width, bitmap.height).data.buffer);
}

/** Replaces the imported models with these files, by role (several for a role: the maskers). */
async function importModels(files: Partial<Record<ModelRole, string | string[]>>): Promise<void> {
  for (const model of await listImported()) await removeImported(model);
  for (const [role, urls] of Object.entries(files)) {
    for (const url of [urls].flat()) {
      const bytes = await (await fetch(url)).arrayBuffer();
      await importModelFile(new File([bytes], url.split('/').pop()!), role as ModelRole);
    }
  }
}

let client: EngineClient | null = null;
const loaded = new Map<string, { imageId: string; pixels: Uint8Array }>();

/** Starts an engine worker on this backend (the previous one is stopped). */
async function start(backend: 'wasm' | 'webgpu'): Promise<void> {
  client?.terminate();
  loaded.clear();
  client = EngineClient.create();
  await client.init({ backend, modelBaseUrl: '/models/', wasmBaseUrl: '/wasm/' });
}

/** Analyses a photo as `name` (with the hand models when `hands`) and keeps its pixels. */
async function analyse(name: string, bitmap: ImageBitmap, hands: boolean): Promise<AnalyzeResult> {
  const bytes = pixels(bitmap);
  const analysed = await client!.analyze(bitmap, { hands });
  loaded.set(name, { imageId: analysed.imageId, pixels: bytes });
  return analysed;
}

/** Decodes a photo scaled to `width` and analyses it without the hand models; returns the number of faces found. */
async function load(name: string, url: string, width: number): Promise<number> {
  return (await analyse(name, await photo(url, width), false)).faces.length;
}

/** Decodes a photo (base64, full size) and analyses it; returns its faces' boxes and its hands. */
async function loadBase64(
  name: string,
  b64: string,
  hands: boolean,
): Promise<Pick<AnalyzeResult, 'faces' | 'hands'>> {
  const blob = new Blob([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))]);
  const analysed = await analyse(name, await createImageBitmap(blob), hands);
  return { faces: analysed.faces, hands: analysed.hands };
}

async function swap(
  source: string,
  target: string,
  neural: Partial<NeuralOptions> = {},
  moreSources: string[] = [],
  blend: Partial<BlendOptions> = {},
): Promise<NeuralRun> {
  const id = (name: string) => loaded.get(name)!.imageId;
  const result = await client!.swap({
    sourceId: id(source),
    sourceFace: 0,
    moreSources: moreSources.map((name) => ({ sourceId: id(name), sourceFace: 0 })),
    targetId: id(target),
    engine: 'neural',
    neural,
    blend: { strength: 1, keepMouth: false, keepEyes: false, feather: 0.08, ...blend },
  });
  return {
    provider: result.provider,
    engine: result.engine,
    notice: result.notice,
    width: result.width,
    height: result.height,
    facesSwapped: result.facesSwapped,
    ms: result.ms,
    output: bytesToBase64(pixels(result.bitmap)),
    target: bytesToBase64(loaded.get(target)!.pixels),
    touched: bytesToBase64(result.touched),
  };
}

/** Swaps every face of an animated GIF (base64) with the neural engine; returns the GIF (base64) and its facts. */
async function swapGif(
  source: string,
  gif: string,
  blend: Partial<BlendOptions> = {},
): Promise<{
  gif: string;
  frames: number;
  framesSwapped: number;
  engine: string;
  ms: Record<string, number>;
}> {
  const result = await client!.swapAnimation({
    sourceId: loaded.get(source)!.imageId,
    sourceFace: 0,
    gif: new Blob([Uint8Array.from(atob(gif), (c) => c.charCodeAt(0))], { type: 'image/gif' }),
    engine: 'neural',
    neural: {},
    blend: { strength: 1, keepMouth: false, keepEyes: false, feather: 0.08, ...blend },
  });
  const { frames, framesSwapped, engine, ms } = result;
  return {
    gif: bytesToBase64(new Uint8Array(await result.gif.arrayBuffer())),
    frames,
    framesSwapped,
    engine,
    ms,
  };
}

/** A swap's error code, or null when it succeeds. */
async function swapError(source: string, target: string): Promise<{ code: string; message: string } | null> {
  try {
    await swap(source, target);
    return null;
  } catch (error) {
    const { code, message } = error as { code: string; message: string };
    return { code, message };
  }
}

/** Overwrites the middle of an imported model's stored file (the copy on disk gets damaged). */
async function damageImported(role: ModelRole): Promise<void> {
  const model = (await listImported()).find((m) => m.role === role)!;
  const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('imported-models');
  const handle = await dir.getFileHandle(`${model.sha256}.onnx`);
  const writable = await handle.createWritable({ keepExistingData: true });
  await writable.write({ type: 'write', position: Math.floor(model.bytes / 2), data: new Uint8Array(64) });
  await writable.close();
}

/**
 * Runs one contract model on the WASM and the WebGPU execution providers with the same seeded
 * inputs (the swapper's `source` a unit vector, as the latent is) and returns the largest difference.
 */
async function compareProviders(url: string): Promise<{ maxDiff: number; values: number }> {
  const ort = await loadOrt('/wasm/', 1);
  const bytes = new Uint8Array(await (await fetch(url)).arrayBuffer());
  const gpu = await requestGpuDevice();
  const wasm = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'] });
  const webgpu = await ort.InferenceSession.create(bytes, {
    executionProviders: [{ name: 'webgpu', device: gpu!.device }],
  });
  let seed = 7;
  const next = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  const feeds: Record<string, InstanceType<typeof ort.Tensor>> = {};
  for (const name of wasm.inputNames) {
    const shape =
      name === 'source' ? [1, 512] : url.includes('detector') ? [1, 3, 640, 640] : [1, 3, 112, 112];
    const dims = url.includes('swapper') && name === 'target' ? [1, 3, 128, 128] : shape;
    const data = Float32Array.from({ length: dims.reduce((a, b) => a * b) }, next);
    if (name === 'source') {
      const norm = Math.hypot(...data);
      data.forEach((v, i) => (data[i] = v / norm));
    }
    feeds[name] = new ort.Tensor('float32', data, dims);
  }
  const [a, b] = [await wasm.run(feeds), await webgpu.run(feeds)];
  let maxDiff = 0;
  let values = 0;
  for (const name of wasm.outputNames) {
    const x = (await a[name]!.getData()) as Float32Array;
    const y = (await b[name]!.getData()) as Float32Array;
    x.forEach((v, i) => (maxDiff = Math.max(maxDiff, Math.abs(v - (y[i] as number)))));
    values += x.length;
  }
  return { maxDiff, values };
}

/**
 * Imports a model while storage is full: `estimate` reports 10 kB free (a stand-in for a full disk),
 * or `write` makes OPFS writes fail with QuotaExceededError mid-import. Returns the error and the OPFS
 * file names afterwards.
 */
async function importWhenFull(
  url: string,
  role: ModelRole,
  how: 'estimate' | 'write',
): Promise<{ code: string; message: string; files: string[] }> {
  const estimate = navigator.storage.estimate.bind(navigator.storage);
  const write = FileSystemWritableFileStream.prototype.write;
  if (how === 'estimate') navigator.storage.estimate = async () => ({ quota: 50_000, usage: 40_000 });
  else
    FileSystemWritableFileStream.prototype.write = () =>
      Promise.reject(new DOMException('The quota has been exceeded.', 'QuotaExceededError'));
  try {
    const bytes = await (await fetch(url)).arrayBuffer();
    await importModelFile(new File([bytes], url.split('/').pop()!), role);
    throw new Error('the import was expected to fail');
  } catch (error) {
    const { code, message } = error as { code: string; message: string };
    const dir = await (await navigator.storage.getDirectory()).getDirectoryHandle('imported-models');
    const files: string[] = [];
    for await (const name of (dir as unknown as { keys(): AsyncIterable<string> }).keys()) files.push(name);
    return { code, message, files: files.sort() };
  } finally {
    navigator.storage.estimate = estimate;
    FileSystemWritableFileStream.prototype.write = write;
  }
}

const installed = async () => (await listImported()).map((m) => m.role);

const checks = {
  compareProviders,
  importModels,
  importWhenFull,
  start,
  load,
  loadBase64,
  swap,
  swapGif,
  swapError,
  damageImported,
  installed,
};
declare global {
  interface Window {
    neuralChecks?: typeof checks;
  }
}
window.neuralChecks = checks;
