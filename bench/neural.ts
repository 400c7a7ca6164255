import { existsSync, readFileSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { ModelManifest } from '../src/shared/manifest';
import {
  AutomationSession,
  isAutomationError,
  type AutomationRequest,
  type AutomationResult,
} from '../scripts/lib/automation';
import { extraModelsEnv } from '../scripts/lib/extra-models';
import {
  architectureGraph,
  architectureRoles,
  defaultArchitectureDir,
  writeArchitectureModels,
} from '../scripts/models/architecture';
import { parameterCount } from '../scripts/models/architecture/layers';
import type { BackendChoice } from '../src/shared/config';
import { sampleBase64 } from '../tests/fixtures/samples';
import { NativeModels, nativeStages, type NativeResult, type NativeStage } from './neural-native';

/**
 * Neural swap benchmark: the architecture models (real layer structure and size, random weights)
 * in onnxruntime-node on the CPU, and through the app's neural engine in headless Chromium on WASM
 * and on WebGPU (SwiftShader here). Native and WASM each run with one thread and with every core, and
 * each browser swap is followed by one native run of each stage, so both see the same load on a
 * shared machine: the WASM/native ratio per stage (detect, embed, swap) per thread count (native
 * detect is compared with the browser's swapDetect, its SCRFD pass). The browser part
 * needs the preview server to serve the models (scripts/lib/extra-models.ts, enabled by
 * DOPPEL_EXTRA_MODELS). Prints one JSON object and a one-line summary. Nothing here is asserted.
 *   BENCH_RUNS (default 3) timed runs after a warm-up; BENCH_BACKENDS (default wasm,webgpu).
 */
const runs = Number(process.env.BENCH_RUNS ?? 3);
const forced = process.env.BENCH_BACKENDS !== undefined;
const backends = (process.env.BENCH_BACKENDS ?? 'wasm,webgpu').split(',') as BackendChoice[];
const cores = availableParallelism();
/** One thread, then every core (WASM gets the same count through the engine's threads setting). */
const threadCounts = [...new Set([1, cores])];
/** The design target: WASM at most this many times native, per thread count. */
const target = 3;
const dir = defaultArchitectureDir;

/** Generates the models unless every file in DIR/manifest.json is there with its listed size. */
function ensureModels(): void {
  const manifestPath = join(dir, 'manifest.json');
  const models = existsSync(manifestPath)
    ? (JSON.parse(readFileSync(manifestPath, 'utf8')) as ModelManifest).models
    : [];
  const present = architectureRoles.every((role) =>
    models
      .find((m) => m.role === role)
      ?.files.every((f) => existsSync(join(dir, f.path)) && statSync(join(dir, f.path)).size === f.bytes),
  );
  if (!present) writeArchitectureModels(dir);
}

function modelSizes() {
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as ModelManifest;
  return Object.fromEntries(
    architectureRoles.map((role) => {
      const entry = manifest.models.find((m) => m.role === role);
      return [role, { bytes: entry?.files[0]?.bytes, parameters: parameterCount(architectureGraph(role)) }];
    }),
  );
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** The browser's swaps; after each timed one, one run of each native stage when `native` is given. */
async function measureBrowser(backend: BackendChoice, threads: number, native?: NativeModels) {
  process.env[extraModelsEnv] = dir;
  const session = await AutomationSession.start(backend, undefined, { threads });
  if (backend === 'webgpu' && !forced && /swiftshader/i.test(session.info.adapter ?? '')) {
    await session.close();
    return {
      skipped:
        'software adapter (SwiftShader): one swap of these models takes over 15 minutes; BENCH_BACKENDS=wasm,webgpu forces it',
    };
  }
  const request: AutomationRequest = {
    source: sampleBase64(3),
    target: sampleBase64(1),
    faces: [0],
    format: 'png',
    engine: 'neural',
    neural: { pixelBoost: 128, restore: 0 },
  };
  try {
    const samples: AutomationResult[] = [];
    for (let i = 0; i <= runs; i++) {
      const result = await session.swap(request);
      if (isAutomationError(result)) throw new Error(`${result.error.code}: ${result.error.message}`);
      if (i === 0) continue; // the first run loads the models
      samples.push(result);
      await native?.runOnce();
    }
    const stages = Object.keys(samples[0]!.ms);
    return {
      backend: samples[0]!.backend,
      provider: samples[0]!.provider,
      adapter: session.info.adapter,
      threads: session.info.neuralThreads,
      runs,
      ms: Object.fromEntries(
        stages.map((s) => [s, Math.round(median(samples.map((r) => r.ms[s] ?? Number.NaN)))]),
      ),
    };
  } finally {
    await session.close();
  }
}

async function browserOrError(backend: BackendChoice, threads = cores, native?: NativeModels) {
  try {
    return await measureBrowser(backend, threads, native);
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/** The browser's name for each native stage: its SCRFD pass is `swapDetect` (`detect` is the photo analysis). */
const browserStage = (ms: Record<string, number>, stage: NativeStage) =>
  stage === 'detect' ? (ms.swapDetect ?? ms.detect) : ms[stage];

type Browser = Awaited<ReturnType<typeof browserOrError>>;
const round1 = (value: number) => Math.round(value * 10) / 10;

/** The browser's ms for a native stage, when it ran. */
const browserMs = (browser: Browser | undefined, stage: NativeStage) =>
  browser && 'ms' in browser && browser.ms ? browserStage(browser.ms, stage) : undefined;

/** Browser / native per stage. */
function ratios(native: Record<NativeStage, number>, browser: Browser) {
  if (!('ms' in browser) || !browser.ms) return null;
  return Object.fromEntries(
    nativeStages.flatMap((stage) => {
      const ms = browserMs(browser, stage);
      return ms === undefined ? [] : [[stage, round1(ms / native[stage])]];
    }),
  );
}

ensureModels();
const native: Record<number, NativeResult> = {};
const wasm: Record<number, Browser> = {};
for (const threads of threadCounts) {
  const models = await NativeModels.open(dir, threads);
  if (backends.includes('wasm')) wasm[threads] = await browserOrError('wasm', threads, models);
  while (models.runs < runs) await models.runOnce(); // native alone where the browser did not run
  native[threads] = await models.close();
}
const browser: Record<string, Browser> = {};
for (const backend of backends.filter((b) => b !== 'wasm')) browser[backend] = await browserOrError(backend);
const all = native[cores]!;

/** Per stage: native and WASM ms and WASM / native, for each thread count (null: WASM did not run). */
const wasmNative = Object.fromEntries(
  nativeStages.map((stage) => {
    const byThreads = (value: (threads: number) => number | undefined) =>
      Object.fromEntries(threadCounts.map((threads) => [threads, value(threads) ?? null]));
    const wasmMs = (threads: number) => browserMs(wasm[threads], stage);
    return [
      stage,
      {
        native: byThreads((threads) => native[threads]!.ms[stage]),
        wasm: byThreads(wasmMs),
        ratio: byThreads((threads) => {
          const ms = wasmMs(threads);
          return ms === undefined ? undefined : round1(ms / native[threads]!.ms[stage]);
        }),
      },
    ];
  }),
) as Record<NativeStage, Record<'native' | 'wasm' | 'ratio', Record<number, number | null>>>;

const report = {
  benchmark: 'neural-swap',
  note: 'architecture models: real layer structure and size, random weights; browser detect is the photo analysis (both photos), swapDetect the SCRFD pass; the first browser swap (model download, session creation) is not timed; WebGPU here is SwiftShader, a software adapter; keys under native, wasm and wasmNative are thread counts',
  models: modelSizes(),
  native,
  wasm,
  ...browser,
  wasmNative: { target: `<= ${target}x per thread count`, ...wasmNative },
  ratio: Object.fromEntries(
    Object.entries(browser).map(([backend, result]) => [backend, ratios(all.ms, result)]),
  ),
};
console.log(JSON.stringify(report, null, 2));
const summary = (result: Browser | undefined) =>
  !result
    ? 'not run'
    : 'error' in result
      ? `error (${result.error})`
      : 'skipped' in result
        ? 'skipped'
        : `swap ${result.ms.swap} ms`;
const perThread = nativeStages
  .map((stage) => {
    const cells = threadCounts.map((threads) => {
      const ratio = wasmNative[stage].ratio[threads] ?? null;
      const mark = ratio !== null && ratio > target ? '!' : '';
      return `${ratio === null ? '?' : ratio}x${mark} (${threads}t)`;
    });
    return `${stage} ${cells.join(' ')}`;
  })
  .join(', ');
console.error(
  `neural-swap: WASM/native ${perThread} (target <= ${target}x, ! = missed); native swap ${all.ms.swap} ms, detect ${all.ms.detect} ms, embed ${all.ms.embed} ms (${cores} threads); wasm ${summary(wasm[cores])}; webgpu ${summary(browser.webgpu)}`,
);
