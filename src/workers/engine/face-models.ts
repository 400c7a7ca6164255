import { DoppelError } from '../../shared/errors';
import { fetchManifest, fetchVerified } from './model-integrity';

/** The few tfjs calls the face pipeline makes (Human bundles tfjs and exposes it untyped). */
export interface Tensor {
  readonly shape: number[];
  data(): Promise<Float32Array>;
  dispose(): void;
}

export interface GraphModel {
  readonly inputs: { shape?: number[] }[];
  execute(input: Tensor, outputs?: string[]): Tensor | Tensor[];
  /** For graphs with control flow (the hand detector); `outputs` names the nodes to return. */
  executeAsync(input: Tensor, outputs?: string[]): Promise<Tensor | Tensor[]>;
  dispose(): void;
}

export interface Tf {
  tensor4d(values: Float32Array, shape: [number, number, number, number]): Tensor;
  /** A tensor over a GPU buffer (WebGPU backend); with zeroCopy the buffer is used in place. */
  tensor(values: { buffer: GPUBuffer; zeroCopy?: boolean }, shape: number[], dtype: 'float32'): Tensor;
  concat(tensors: Tensor[]): Tensor;
  split(tensor: Tensor, parts: number): Tensor[];
  reverse(tensor: Tensor, axis: number): Tensor;
  cast(tensor: Tensor, dtype: 'int32'): Tensor;
  reshape(tensor: Tensor, shape: number[]): Tensor;
  loadGraphModel(handler: unknown): Promise<GraphModel>;
  io: { fromMemory(artifacts: Record<string, unknown>): unknown };
  dispose(tensors: Tensor | Tensor[]): void;
  backend(): unknown;
  getBackend(): string;
  setThreadsCount(threads: number): void;
  getThreadsCount(): number;
  engine(): { reset(): void };
}

/**
 * The values of several output tensors with one read: they are flattened and joined first, so on
 * WebGPU one GPU buffer is mapped instead of one per tensor. Returns each tensor's values in order.
 */
export async function readOnce(tf: Tf, tensors: readonly Tensor[]): Promise<Float32Array[]> {
  const flat = tensors.map((t) => tf.reshape(t, [-1]));
  const joined = tf.concat(flat);
  try {
    const values = await joined.data();
    let offset = 0;
    return tensors.map((t) => {
      const length = t.shape.reduce((a, b) => a * b, 1);
      offset += length;
      return values.subarray(offset - length, offset);
    });
  } finally {
    tf.dispose([joined, ...flat]);
  }
}

interface ModelJson {
  modelTopology: unknown;
  weightsManifest: { paths: string[]; weights: unknown[] }[];
  [key: string]: unknown;
}

/**
 * The built-in engine's graph models, built from the very bytes whose size and SHA-256 were checked
 * against the manifest: nothing else fetches them, so an unverified copy never runs.
 */
export async function loadVerifiedModels(
  tf: Tf,
  modelBaseUrl: string,
  modelId: string,
  names: readonly string[],
): Promise<GraphModel[]> {
  const entry = (await fetchManifest(modelBaseUrl)).models.find((m) => m.id === modelId);
  if (!entry) throw new DoppelError('MODEL_LOAD_FAILED', undefined, { model: modelId });
  const bytesOf = async (path: string) => {
    const file = entry.files.find((f) => f.path === path);
    if (!file) throw new DoppelError('MODEL_LOAD_FAILED', undefined, { path });
    return fetchVerified(modelBaseUrl, file);
  };
  return Promise.all(
    names.map(async (name) => {
      const folder = name.slice(0, name.lastIndexOf('/') + 1);
      const json = JSON.parse(new TextDecoder().decode(await bytesOf(name))) as ModelJson;
      const { weightsManifest, ...artifacts } = json;
      const paths = weightsManifest.flatMap((group) => group.paths);
      const parts = await Promise.all(paths.map((path) => bytesOf(folder + path)));
      const weightData = new Uint8Array(parts.reduce((sum, part) => sum + part.byteLength, 0));
      let offset = 0;
      for (const part of parts) {
        weightData.set(new Uint8Array(part), offset);
        offset += part.byteLength;
      }
      return tf.loadGraphModel(
        tf.io.fromMemory({
          ...artifacts,
          weightSpecs: weightsManifest.flatMap((group) => group.weights),
          weightData: weightData.buffer,
        }),
      );
    }),
  );
}
