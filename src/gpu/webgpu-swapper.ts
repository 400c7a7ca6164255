import { DoppelError } from '../shared/errors';
import { throwIfAborted } from './abort';
import { validateSwapInput } from './face-geometry';
import { FacePass } from './face-pass';
import { destroyFrame, uploadFrame, type GpuFrame } from './gpu-frame';
import { createKernels, type Kernels } from './pipelines';
import { swappableFace, yawStrength } from './profile';
import { readBuffer } from './readback';
import type { BlendOptions, FacePair, MeshSwapper, MeshTopology, SkippedFace, StageTimes } from './types';

/** The WebGPU swapper also swaps frames that stay on the GPU (see ResidentFrames). */
export interface WebGpuSwapper extends MeshSwapper {
  readonly kind: 'webgpu';
  /**
   * Swaps the faces into frame.image on the GPU, reading nothing back and not waiting for the GPU:
   * it resolves once the passes are submitted (with the milliseconds that took), so the worker
   * goes on (presenting, the next frame's face inputs) while the GPU composites.
   */
  swapFrame(
    frame: GpuFrame,
    faces: readonly FacePair[],
    topology: MeshTopology,
    options: BlendOptions,
    signal?: AbortSignal,
  ): Promise<{ submit: number }>;
}

/**
 * The mesh swap on WebGPU. `swap`: source and target are uploaded once, every stage runs on the
 * GPU, and the output image and touched mask are read back once at the end. `swapFrame`: the same
 * stages on a frame already on the GPU, with nothing read back. The faces' buffers (FacePass)
 * are kept between swaps and grow to the largest face seen. After the device is lost every swap
 * rejects with GPU_LOST.
 */
export function createWebGpuSwapper(device: GPUDevice): WebGpuSwapper {
  let lostReason: string | null = null;
  let disposed = false;
  let kernels: Promise<Kernels> | null = null;
  let pass: FacePass | null = null;
  let queue: Promise<unknown> = Promise.resolve();
  void device.lost.then((info) => {
    lostReason = info.message || info.reason || 'unknown reason';
  });
  const deviceLost = () => new DoppelError('GPU_LOST', undefined, { cause: lostReason });

  /** Encodes and submits one stage; `timed` waits for the GPU to finish it, so its time is the stage's. */
  const stage = async (
    times: StageTimes,
    key: keyof StageTimes,
    encode: (encoder: GPUCommandEncoder) => void,
    timed: boolean,
  ) => {
    const start = performance.now();
    const encoder = device.createCommandEncoder();
    encode(encoder);
    device.queue.submit([encoder.finish()]);
    if (timed) await device.queue.onSubmittedWorkDone();
    times[key] += performance.now() - start;
  };

  /** Runs the faces' passes on a frame already on the GPU; the output stays in frame.image. */
  const passes = async (
    frame: GpuFrame,
    target: { width: number; height: number },
    faces: readonly FacePair[],
    topology: MeshTopology,
    options: BlendOptions,
    signal: AbortSignal | undefined,
    times: StageTimes,
    timed: boolean,
    onFaceDone?: (done: number, total: number) => void,
  ): Promise<SkippedFace[]> => {
    const compiled = await (kernels ??= createKernels(device));
    const facePass = (pass ??= new FacePass(device, compiled));
    const skipped: SkippedFace[] = [];
    for (const [index, face] of faces.entries()) {
      throwIfAborted(signal);
      const geometry = swappableFace(face, index, topology, options, target, skipped);
      if (!geometry) {
        onFaceDone?.(index + 1, faces.length);
        continue;
      }
      facePass.prepare(frame, geometry, face, topology, options.strength * yawStrength(face.yawDeg));
      await stage(times, 'warp', (encoder) => facePass.encodeWarpAndMask(encoder), timed);
      throwIfAborted(signal);
      await stage(times, 'colour', (encoder) => facePass.encodeColour(encoder), timed);
      throwIfAborted(signal);
      const blend = (encoder: GPUCommandEncoder) => {
        facePass.encodeBlend(encoder);
        facePass.encodeComposite(encoder);
      };
      await stage(times, 'blend', blend, timed);
      onFaceDone?.(index + 1, faces.length);
    }
    return skipped;
  };

  /** Runs `work` inside GPU error scopes; device loss and GPU errors become Errors that say so. */
  const guarded = async <T>(work: () => Promise<T>, cleanup?: () => void): Promise<T> => {
    if (disposed) throw new Error('This WebGPU swapper has been disposed.');
    if (lostReason !== null) throw deviceLost();
    device.pushErrorScope('out-of-memory');
    device.pushErrorScope('validation');
    let output: { value: T } | null = null;
    let failure: unknown = null;
    try {
      output = { value: await work() };
    } catch (error) {
      failure = error;
    }
    const validation = await device.popErrorScope();
    const memory = await device.popErrorScope();
    cleanup?.();
    if (lostReason !== null) throw deviceLost();
    const gpuError = validation ?? memory;
    if (gpuError) throw new Error(`WebGPU mesh swap failed: ${gpuError.message}`);
    if (failure !== null || !output) throw failure;
    return output.value;
  };

  const run: MeshSwapper['swap'] = async (source, target, faces, topology, options, signal, onFaceDone) => {
    throwIfAborted(signal);
    validateSwapInput([source, target], faces, topology);
    let frame: GpuFrame | null = null;
    return guarded(
      async () => {
        frame = uploadFrame(device, source, target);
        const times: StageTimes = { warp: 0, colour: 0, blend: 0 };
        const skipped = await passes(
          frame,
          target,
          faces,
          topology,
          options,
          signal,
          times,
          true,
          onFaceDone,
        );
        const start = performance.now();
        const [image, touched] = await Promise.all([
          readBuffer(device, frame.image),
          readBuffer(device, frame.touched, target.width * target.height),
        ]);
        times.blend += performance.now() - start;
        return {
          image: { width: target.width, height: target.height, data: new Uint8ClampedArray(image) },
          touched: new Uint8Array(touched),
          times,
          skipped,
        };
      },
      () => frame && destroyFrame(frame),
    );
  };

  const runFrame: WebGpuSwapper['swapFrame'] = async (frame, faces, topology, options, signal) => {
    throwIfAborted(signal);
    const times: StageTimes = { warp: 0, colour: 0, blend: 0 };
    await guarded(() => passes(frame, frame, faces, topology, options, signal, times, false));
    return { submit: times.warp + times.colour + times.blend };
  };

  const queued = <T>(work: () => Promise<T>): Promise<T> => {
    const result = queue.then(work);
    queue = result.catch(() => undefined);
    return result;
  };

  return {
    kind: 'webgpu',
    swap: (...args) => queued(() => run(...args)),
    swapFrame: (...args) => queued(() => runFrame(...args)),
    dispose() {
      disposed = true;
      void queue.then(() => pass?.destroy());
    },
  };
}
