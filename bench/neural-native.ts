import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';

/**
 * The architecture models (scripts/models/architecture.ts) in onnxruntime-node on the CPU EP: median
 * ms per stage over `runs` runs after one warm-up run, plus the time to create each session.
 * detect: SCRFD on 1x3x640x640; embed: ArcFace on 1x3x112x112; swap: inswapper on a 128 crop.
 */
export type NativeStage = 'detect' | 'embed' | 'swap';

export interface NativeResult {
  runtime: string;
  threads: number;
  runs: number;
  ms: Record<NativeStage, number>;
  loadMs: Record<NativeStage, number>;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

/** Deterministic values in [lo, hi]. */
function filled(dims: number[], lo: number, hi: number): ort.Tensor {
  const data = new Float32Array(dims.reduce((a, b) => a * b, 1));
  for (let i = 0; i < data.length; i++) data[i] = lo + ((Math.sin(i * 12.9898) + 1) / 2) * (hi - lo);
  return new ort.Tensor('float32', data, dims);
}

function unitLatent(): ort.Tensor {
  const data = filled([1, 512], -1, 1).data as Float32Array;
  const norm = Math.hypot(...data);
  return new ort.Tensor(
    'float32',
    data.map((v) => v / norm),
    [1, 512],
  );
}

const stages: Record<NativeStage, { file: string; feeds: () => Record<string, ort.Tensor> }> = {
  detect: { file: 'detector.onnx', feeds: () => ({ 'input.1': filled([1, 3, 640, 640], -1, 1) }) },
  embed: { file: 'embedder.onnx', feeds: () => ({ 'input.1': filled([1, 3, 112, 112], -1, 1) }) },
  swap: {
    file: 'swapper.onnx',
    feeds: () => ({ target: filled([1, 3, 128, 128], 0, 1), source: unitLatent() }),
  },
};

export async function measureNative(dir: string, runs: number): Promise<NativeResult> {
  const ms = {} as Record<NativeStage, number>;
  const loadMs = {} as Record<NativeStage, number>;
  for (const [stage, { file, feeds }] of Object.entries(stages) as [
    NativeStage,
    (typeof stages)[NativeStage],
  ][]) {
    const loadStart = performance.now();
    const session = await ort.InferenceSession.create(join(dir, file), {
      executionProviders: ['cpu'],
      graphOptimizationLevel: 'all',
      logSeverityLevel: 3,
    });
    loadMs[stage] = Math.round(performance.now() - loadStart);
    const inputs = feeds();
    await session.run(inputs);
    const samples: number[] = [];
    for (let i = 0; i < runs; i++) {
      const start = performance.now();
      await session.run(inputs);
      samples.push(performance.now() - start);
    }
    ms[stage] = Math.round(median(samples));
    await session.release();
  }
  return {
    runtime: `onnxruntime-node ${ort.env.versions.common} (cpu)`,
    threads: availableParallelism(),
    runs,
    ms,
    loadMs,
  };
}
