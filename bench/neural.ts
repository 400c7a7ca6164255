import { existsSync, readFileSync, statSync } from 'node:fs';
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
import { measureNative, type NativeStage } from './neural-native';

/**
 * Neural swap benchmark: the architecture models (real layer structure and size, random weights)
 * in onnxruntime-node on the CPU, and through the app's neural engine in headless Chromium on WASM
 * and on WebGPU (SwiftShader here), with browser / native ratios per stage (native detect is
 * compared with the browser's swapDetect, its SCRFD pass). The browser part needs the preview
 * server to serve the models (scripts/lib/extra-models.ts, enabled by DOPPEL_EXTRA_MODELS).
 * Prints one JSON object and a one-line summary. Nothing here is asserted.
 *   BENCH_RUNS (default 3) timed runs after a warm-up; BENCH_BACKENDS (default wasm,webgpu).
 */
const runs = Number(process.env.BENCH_RUNS ?? 3);
const forced = process.env.BENCH_BACKENDS !== undefined;
const backends = (process.env.BENCH_BACKENDS ?? 'wasm,webgpu').split(',') as BackendChoice[];
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

async function measureBrowser(backend: BackendChoice) {
  process.env[extraModelsEnv] = dir;
  const session = await AutomationSession.start(backend);
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
      if (i > 0) samples.push(result); // the first run loads the models
    }
    const stages = Object.keys(samples[0]!.ms);
    return {
      backend: samples[0]!.backend,
      provider: samples[0]!.provider,
      adapter: session.info.adapter,
      runs,
      ms: Object.fromEntries(
        stages.map((s) => [s, Math.round(median(samples.map((r) => r.ms[s] ?? Number.NaN)))]),
      ),
    };
  } finally {
    await session.close();
  }
}

async function browserOrError(backend: BackendChoice) {
  try {
    return await measureBrowser(backend);
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/** The browser's name for each native stage: its SCRFD pass is `swapDetect` (`detect` is the photo analysis). */
const browserStage = (ms: Record<string, number>, stage: NativeStage) =>
  stage === 'detect' ? (ms.swapDetect ?? ms.detect) : ms[stage];

function ratios(native: Record<NativeStage, number>, browser: Awaited<ReturnType<typeof browserOrError>>) {
  if (!('ms' in browser) || !browser.ms) return null;
  return Object.fromEntries(
    (Object.keys(native) as NativeStage[]).flatMap((stage) => {
      const ms = browserStage(browser.ms, stage);
      return ms === undefined ? [] : [[stage, Math.round((ms / native[stage]) * 10) / 10]];
    }),
  );
}

ensureModels();
const native = await measureNative(dir, runs);
const browser: Record<string, Awaited<ReturnType<typeof browserOrError>>> = {};
for (const backend of backends) browser[backend] = await browserOrError(backend);
const report = {
  benchmark: 'neural-swap',
  note: 'architecture models: real layer structure and size, random weights; browser detect is the photo analysis (both photos), swapDetect the SCRFD pass; the first browser swap (model download, session creation) is not timed; WebGPU here is SwiftShader, a software adapter',
  models: modelSizes(),
  native,
  ...browser,
  ratio: Object.fromEntries(
    Object.entries(browser).map(([backend, result]) => [backend, ratios(native.ms, result)]),
  ),
};
console.log(JSON.stringify(report, null, 2));
const summary = (result: (typeof browser)[string] | undefined) =>
  !result
    ? 'not run'
    : 'error' in result
      ? `error (${result.error})`
      : 'skipped' in result
        ? 'skipped'
        : `swap ${result.ms.swap} ms`;
console.error(
  `neural-swap: native swap ${native.ms.swap} ms, detect ${native.ms.detect} ms, embed ${native.ms.embed} ms (${native.threads} threads); wasm ${summary(browser.wasm)}; webgpu ${summary(browser.webgpu)}`,
);
