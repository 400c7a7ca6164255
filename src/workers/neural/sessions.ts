/**
 * ONNX Runtime sessions of the neural engine, one per model and execution provider, created on first
 * use and kept until the model changes. On WebGPU the sessions share the worker's GPUDevice, so our
 * kernels hand them GPU buffers and read theirs without a CPU round trip.
 */
import { DoppelError } from '../../shared/errors';
import type { InstalledModel, ModelBytes } from './installed-models';
import type { Ort } from './ort';

export type Provider = 'webgpu' | 'wasm';

export interface LoadedModel {
  model: InstalledModel;
  session: import('onnxruntime-web/webgpu').InferenceSession;
  emap: Float32Array | null;
}

export class SessionCache {
  private readonly loaded = new Map<string, Promise<LoadedModel>>();

  constructor(
    private readonly ort: Ort,
    readonly provider: Provider,
    private readonly device: GPUDevice | null,
  ) {}

  /** Outputs stay on the GPU for the models whose outputs our kernels read (swapper, enhancer, maskers). */
  private options(model: InstalledModel): import('onnxruntime-web/webgpu').InferenceSession.SessionOptions {
    const gpuOutputs = this.provider === 'webgpu' && ['swapper', 'enhancer', 'masker'].includes(model.role);
    return {
      executionProviders:
        this.provider === 'webgpu' && this.device ? [{ name: 'webgpu', device: this.device }] : ['wasm'],
      graphOptimizationLevel: 'all',
      logSeverityLevel: 3,
      preferredOutputLocation: gpuOutputs ? 'gpu-buffer' : 'cpu',
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
      const session = await this.ort.InferenceSession.create(bytes.onnx, this.options(model));
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
