/**
 * ONNX Runtime sessions of the neural engine, one per model and execution provider, created on first
 * use and kept (warm) until the model changes. On WebGPU the sessions share the worker's GPUDevice, so
 * our kernels hand them GPU buffers and read theirs without a CPU round trip.
 *
 * On WASM, ORT 1.30 copies every CPU input into its heap and every CPU output into a new array on
 * each run, and cannot fill pre-allocated CPU outputs (`fetches` come back as zeros:
 * microsoft/onnxruntime#25786), so the sessions' IO tensors are left to it.
 */
import type { InferenceSession } from 'onnxruntime-web/webgpu';
import { DoppelError } from '../../shared/errors';
import { findContract, type TensorInfo } from '../../shared/model-contracts';
import { readOnnxGraph } from '../../shared/onnx-graph';
import type { InstalledModel, ModelBytes } from './installed-models';
import type { Ort } from './ort';

export type Provider = 'webgpu' | 'wasm';

export interface LoadedModel {
  model: InstalledModel;
  session: InferenceSession;
  emap: Float32Array | null;
}

/** The roles whose outputs our kernels read on the GPU. */
const gpuOutputRoles = new Set(['swapper', 'enhancer', 'masker']);

/**
 * Sizes for the graph inputs' symbolic dimensions, from the role's contract: the engine always feeds
 * the contract's shapes (det_10g's `?` height and width: 640; w600k_r50's batch `None`: 1), so ORT
 * can infer every shape and plan its memory once. A name the contract sizes two ways stays free.
 */
export function fixedDimensions(onnx: Uint8Array, contractId: string): Record<string, number> {
  const contract = findContract(contractId);
  const sizes = new Map<string, number | null>();
  graphInputs(onnx).forEach((input, i) => {
    const want = contract?.inputs[i]?.shape;
    input.shape?.forEach((dim, axis) => {
      const size = want?.[axis];
      if (typeof dim !== 'string' || dim === '' || typeof size !== 'number') return;
      const known = sizes.get(dim);
      sizes.set(dim, known === undefined || known === size ? size : null);
    });
  });
  return Object.fromEntries([...sizes].filter((entry): entry is [string, number] => entry[1] !== null));
}

/** The graph's inputs; none for a file that cannot be read (ORT then says why). */
function graphInputs(onnx: Uint8Array): readonly TensorInfo[] {
  try {
    return readOnnxGraph(onnx).signature.inputs;
  } catch {
    return [];
  }
}

export class SessionCache {
  private readonly loaded = new Map<string, Promise<LoadedModel>>();
  /** The options every session of this provider shares; each model adds its outputs' location and dims. */
  private readonly base: InferenceSession.SessionOptions;

  constructor(
    private readonly ort: Ort,
    readonly provider: Provider,
    device: GPUDevice | null,
  ) {
    this.base = {
      executionProviders: provider === 'webgpu' && device ? [{ name: 'webgpu', device }] : ['wasm'],
      graphOptimizationLevel: 'all',
      executionMode: 'sequential',
      // onnxruntime-web leaves both off unless asked (onnxruntime-node has them on); on WebGPU it
      // turns the memory pattern off itself.
      enableCpuMemArena: true,
      enableMemPattern: true,
      logSeverityLevel: 3,
    };
  }

  private options(model: InstalledModel, onnx: Uint8Array): InferenceSession.SessionOptions {
    const gpuOutputs = this.provider === 'webgpu' && gpuOutputRoles.has(model.role);
    return {
      ...this.base,
      preferredOutputLocation: gpuOutputs ? 'gpu-buffer' : 'cpu',
      freeDimensionOverrides: fixedDimensions(onnx, model.contract),
    };
  }

  private async create(model: InstalledModel): Promise<LoadedModel> {
    let bytes: ModelBytes | null = await model.load();
    if (model.role === 'swapper' && !bytes.emap) {
      throw new DoppelError(
        'MODEL_CONTRACT',
        `${model.name} has no emap (the swapper's last initializer), so identities cannot be fed to it. Add or import it again.`,
      );
    }
    try {
      const session = await this.ort.InferenceSession.create(bytes.onnx, this.options(model, bytes.onnx));
      const emap = bytes.emap;
      bytes = null;
      return { model, session, emap };
    } catch (error) {
      throw new DoppelError(
        'MODEL_LOAD_FAILED',
        `${model.name} could not be started on ${this.provider === 'webgpu' ? 'WebGPU' : 'WASM'}: ${(error as Error).message}`,
        { id: model.id },
      );
    }
  }

  get(model: InstalledModel): Promise<LoadedModel> {
    let loaded = this.loaded.get(model.id);
    if (!loaded) {
      loaded = this.create(model);
      loaded.catch(() => this.loaded.delete(model.id));
      this.loaded.set(model.id, loaded);
    }
    return loaded;
  }

  /** Releases the sessions of models no longer installed. */
  async keepOnly(ids: ReadonlySet<string>): Promise<void> {
    for (const [id, loaded] of this.loaded) {
      if (ids.has(id)) continue;
      this.loaded.delete(id);
      await loaded.then((l) => l.session.release()).catch(() => undefined);
    }
  }

  async releaseAll(): Promise<void> {
    await this.keepOnly(new Set());
  }
}
