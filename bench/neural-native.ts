import { join } from 'node:path';
import * as ort from 'onnxruntime-node';

/**
 * The architecture models (scripts/models/architecture.ts) in onnxruntime-node on the CPU EP with
 * `threads` intra-op threads, their sessions open together so that the benchmark can time them
 * between the browser's swaps (both then see the same load): median ms per stage after one warm-up
 * run each, plus the time to create each session. detect: SCRFD on 1x3x640x640; embed: ArcFace on
 * 1x3x112x112; swap: inswapper on a 128 crop.
 */
export const nativeStages = ['detect', 'embed', 'swap'] as const;
export type NativeStage = (typeof nativeStages)[number];

export interface NativeResult {
  runtime: string;
  threads: number;
  runs: number;
  ms: Record<NativeStage, number>;
  loadMs: Record<NativeStage, number>;
}

type Feeds = Record<string, ort.Tensor>;

interface Loaded {
  session: ort.InferenceSession;
  inputs: Feeds;
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

const stages: Record<NativeStage, { file: string; feeds: () => Feeds }> = {
  detect: { file: 'detector.onnx', feeds: () => ({ 'input.1': filled([1, 3, 640, 640], -1, 1) }) },
  embed: { file: 'embedder.onnx', feeds: () => ({ 'input.1': filled([1, 3, 112, 112], -1, 1) }) },
  swap: {
    file: 'swapper.onnx',
    feeds: () => ({ target: filled([1, 3, 128, 128], 0, 1), source: unitLatent() }),
  },
};

export class NativeModels {
  private readonly samples: Record<NativeStage, number[]> = { detect: [], embed: [], swap: [] };

  private constructor(
    readonly threads: number,
    private readonly loaded: Record<NativeStage, Loaded>,
    private readonly loadMs: Record<NativeStage, number>,
  ) {}

  /** Creates the three sessions and runs each once (the warm-up). */
  static async open(dir: string, threads: number): Promise<NativeModels> {
    const loaded = {} as Record<NativeStage, Loaded>;
    const loadMs = {} as Record<NativeStage, number>;
    for (const stage of nativeStages) {
      const loadStart = performance.now();
      const session = await ort.InferenceSession.create(join(dir, stages[stage].file), {
        executionProviders: ['cpu'],
        graphOptimizationLevel: 'all',
        intraOpNumThreads: threads,
        logSeverityLevel: 3,
      });
      loadMs[stage] = Math.round(performance.now() - loadStart);
      const inputs = stages[stage].feeds();
      await session.run(inputs);
      loaded[stage] = { session, inputs };
    }
    return new NativeModels(threads, loaded, loadMs);
  }

  /** Timed runs so far. */
  get runs(): number {
    return this.samples.swap.length;
  }

  /** One timed run of every stage. */
  async runOnce(): Promise<void> {
    for (const stage of nativeStages) {
      const { session, inputs } = this.loaded[stage];
      const start = performance.now();
      await session.run(inputs);
      this.samples[stage].push(performance.now() - start);
    }
  }

  /** Releases the sessions; returns the medians of the runs. */
  async close(): Promise<NativeResult> {
    await Promise.all(nativeStages.map((stage) => this.loaded[stage].session.release()));
    const ms = {} as Record<NativeStage, number>;
    for (const stage of nativeStages) ms[stage] = Math.round(median(this.samples[stage]));
    return {
      runtime: `onnxruntime-node ${ort.env.versions.common} (cpu)`,
      threads: this.threads,
      runs: this.runs,
      ms,
      loadMs: this.loadMs,
    };
  }
}
