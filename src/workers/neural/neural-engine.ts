/**
 * The neural engine inside the engine worker: finds the installed models, keeps their ONNX Runtime
 * sessions, and runs swaps on WebGPU (sharing the worker's GPUDevice with our kernels) or on WASM.
 * A lost GPU device moves it to WASM for good; any other GPU failure retries the swap on WASM.
 */
import { requestGpuDevice } from '../../gpu/device';
import type { HandHoles } from '../../gpu/reference/hand-holes';
import { NeuralKernels } from '../../gpu/neural-kernels';
import type { RgbaImage } from '../../gpu/types';
import { DoppelError } from '../../shared/errors';
import type { NeuralOptions, NeuralStatus } from '../engine/api';
import { fivePointsFromMesh } from './align';
import { cpuFrameOps, gpuFrameOps, type FrameOps } from './frame-ops';
import { installedModels, pickModel, type InstalledModel } from './installed-models';
import { neuralSwap, type NeuralModels, type NeuralStage } from './neural-swap';
import { loadOrt, type Ort } from './ort';
import { SessionCache, type Provider } from './sessions';

export const defaultNeuralOptions: NeuralOptions = { pixelBoost: 128, restore: 0, masks: [] };

const contracts = {
  swapper: 'swapper/inswapper_128',
  embedder: 'embedder/arcface_w600k_r50',
  detector: 'detector/scrfd_10g',
  enhancer: 'enhancer/gfpgan_1.4',
  occluder: 'masker/xseg_occlusion',
  parser: 'masker/bisenet_region',
} as const;

const missingText = {
  swapper: 'a face swapper (inswapper_128)',
  embedder: 'a face identity model (ArcFace w600k_r50)',
} as const;

type Chosen = Record<keyof typeof contracts, InstalledModel | null>;

export interface NeuralFace {
  box: readonly [number, number, number, number];
  mesh: Float32Array;
  /** The hands kept in front of the face (TargetFace.hands); absent: none. */
  hands?: HandHoles;
}

export interface NeuralSwapRequest {
  /** The source photos (the first, then the extra ones) with the chosen face's mesh. */
  sources: readonly { image: RgbaImage; mesh: Float32Array }[];
  target: RgbaImage;
  faces: readonly NeuralFace[];
  options: NeuralOptions;
  signal: AbortSignal;
  onFaceDone?: (done: number, total: number) => void;
}

export interface NeuralSwapOutput {
  image: RgbaImage;
  touched: Uint8Array;
  ms: Partial<Record<NeuralStage, number>>;
  provider: Provider;
  notice?: string;
}

/**
 * The device for ORT and our kernels: tfjs's own, unless the adapter offers shader-f16 (fp16 models)
 * and tfjs's device was created without it; then one more device that has it.
 */
async function neuralDevice(shared: GPUDevice): Promise<GPUDevice> {
  if (shared.features.has('shader-f16')) return shared;
  const adapter = await navigator.gpu.requestAdapter();
  if (!adapter?.features.has('shader-f16')) return shared;
  return (await requestGpuDevice({}, ['shader-f16']))?.device ?? shared;
}

export class NeuralEngine {
  private ortLoading: Promise<Ort> | null = null;
  private cache: SessionCache | null = null;
  private kernels: NeuralKernels | null = null;
  private provider: Provider;
  private device: Promise<GPUDevice> | null;
  private deviceLost = false;
  /**
   * The latent of the last swap's sources (the same mesh arrays: the same loaded photos and faces), so
   * the frames of an animation embed their sources once.
   */
  private lastIdentity: { meshes: readonly Float32Array[]; swapper: string; latent: Float32Array } | null =
    null;

  constructor(
    private readonly modelBaseUrl: string,
    private readonly wasmBaseUrl: string,
    sharedDevice: GPUDevice | null,
    private readonly threads: number,
  ) {
    this.provider = sharedDevice ? 'webgpu' : 'wasm';
    this.device = sharedDevice
      ? neuralDevice(sharedDevice).then((device) => {
          void device.lost.then(() => {
            this.deviceLost = true;
          });
          return device;
        })
      : null;
  }

  private async gpuFeatures(): Promise<ReadonlySet<string>> {
    return this.provider === 'webgpu' && this.device ? new Set((await this.device).features) : new Set();
  }

  private ort(): Promise<Ort> {
    this.ortLoading ??= loadOrt(this.wasmBaseUrl, this.threads).catch((error: unknown) => {
      this.ortLoading = null;
      throw new DoppelError(
        'MODEL_LOAD_FAILED',
        `The neural engine's runtime (onnxruntime-web) could not be loaded: ${String(error)}`,
      );
    });
    return this.ortLoading;
  }

  private async choose(): Promise<{ all: InstalledModel[]; chosen: Chosen }> {
    const models = await installedModels(this.modelBaseUrl);
    const features = await this.gpuFeatures();
    const pick = (contract: string) => pickModel(models, contract, features);
    return {
      all: models,
      chosen: {
        swapper: pick(contracts.swapper),
        embedder: pick(contracts.embedder),
        detector: pick(contracts.detector),
        enhancer: pick(contracts.enhancer),
        occluder: pick(contracts.occluder),
        parser: pick(contracts.parser),
      },
    };
  }

  async status(): Promise<NeuralStatus> {
    const { all, chosen } = await this.choose();
    const missing = (['swapper', 'embedder'] as const)
      .filter((role) => !chosen[role])
      .map((role) => {
        const unusable = all.find((model) => model.contract === contracts[role]);
        return unusable
          ? `an fp32 copy of ${unusable.name} (this device cannot run its fp16 weights: no shader-f16)`
          : missingText[role];
      });
    return {
      ready: missing.length === 0,
      missing,
      models: Object.values(chosen)
        .filter((m): m is InstalledModel => m !== null)
        .map(({ role, id, name, from }) => ({ role, id, name, from })),
      restore: chosen.enhancer !== null,
      masks: [
        ...(chosen.occluder ? (['occlusion'] as const) : []),
        ...(chosen.parser ? (['region'] as const) : []),
      ],
    };
  }

  private async sessions(ort: Ort): Promise<SessionCache> {
    if (this.cache?.provider !== this.provider) {
      await this.cache?.releaseAll();
      this.kernels?.destroy();
      const device = this.provider === 'webgpu' && this.device ? await this.device : null;
      this.cache = new SessionCache(ort, this.provider, device);
      this.kernels = device ? new NeuralKernels(device) : null;
    }
    return this.cache;
  }

  /**
   * The sessions this swap needs: the swapper, the embedder and the detector always; the enhancer and
   * each masker only when the options use them (GFPGAN alone holds some 340 MB), then kept.
   */
  private async load(ort: Ort, options: NeuralOptions): Promise<NeuralModels> {
    const { chosen } = await this.choose();
    if (!chosen.swapper || !chosen.embedder) {
      const status = await this.status();
      throw new DoppelError(
        'MODEL_LOAD_FAILED',
        `The neural engine needs ${status.missing.join(' and ')}. Import them on the Models screen (or ask the operator to add them), or use the built-in engine.`,
      );
    }
    const cache = await this.sessions(ort);
    await cache.keepOnly(new Set(Object.values(chosen).flatMap((m) => (m ? [m.id] : []))));
    const used = (model: InstalledModel | null, wanted: boolean) =>
      model && wanted ? cache.get(model) : Promise.resolve(null);
    return {
      swapper: await cache.get(chosen.swapper),
      embedder: await cache.get(chosen.embedder),
      detector: await used(chosen.detector, true),
      enhancer: await used(chosen.enhancer, options.restore > 0),
      occluder: await used(chosen.occluder, options.masks.includes('occlusion')),
      parser: await used(chosen.parser, options.masks.includes('region')),
    };
  }

  private frameOps(ort: Ort, image: RgbaImage): FrameOps {
    return this.kernels ? gpuFrameOps(ort, this.kernels, image) : cpuFrameOps(ort, image);
  }

  private async attempt({
    sources,
    target,
    faces,
    options,
    signal,
    onFaceDone,
  }: NeuralSwapRequest): Promise<Omit<NeuralSwapOutput, 'notice'>> {
    const ort = await this.ort();
    const models = await this.load(ort, options);
    const meshes = sources.map((s) => s.mesh);
    const known = this.lastIdentity;
    const latent =
      known &&
      known.swapper === models.swapper.model.id &&
      known.meshes.length === meshes.length &&
      known.meshes.every((mesh, i) => mesh === meshes[i])
        ? known.latent
        : undefined;
    const sourceOps = latent
      ? []
      : sources.map((s) => ({ ops: this.frameOps(ort, s.image), points: fivePointsFromMesh(s.mesh) }));
    const targetOps = this.frameOps(ort, target);
    try {
      const swapped = await neuralSwap({
        ort,
        models,
        latent,
        sources: sourceOps,
        target: targetOps,
        size: { width: target.width, height: target.height },
        faces: faces.map((face) => ({
          box: face.box,
          points: fivePointsFromMesh(face.mesh),
          ...(face.hands && { hands: face.hands }),
        })),
        options,
        signal,
        onFaceDone,
      });
      this.lastIdentity = { meshes, swapper: models.swapper.model.id, latent: swapped.latent };
      const { image, touched } = await targetOps.result();
      return { image, touched, ms: swapped.ms, provider: this.provider };
    } finally {
      sourceOps.forEach((s) => s.ops.dispose());
      targetOps.dispose();
    }
  }

  async swap(request: NeuralSwapRequest): Promise<NeuralSwapOutput> {
    const run = () => this.attempt(request);
    try {
      return await run();
    } catch (error) {
      if (
        this.provider !== 'webgpu' ||
        request.signal.aborted ||
        (error instanceof DoppelError && !this.deviceLost)
      )
        throw error;
      const lost = this.deviceLost;
      const gpu = this.provider;
      this.provider = 'wasm';
      try {
        const output = await run();
        return {
          ...output,
          notice: lost
            ? 'The GPU was lost during the swap, so the neural engine finished it, and will run from now on, on the CPU (WASM).'
            : `The GPU could not finish this swap (${(error as Error).message}), so it was finished on the CPU (WASM).`,
        };
      } finally {
        if (!lost) this.provider = gpu;
      }
    }
  }
}
