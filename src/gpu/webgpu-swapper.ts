import { throwIfAborted } from './abort';
import { faceGeometry, validateSwapInput } from './face-geometry';
import { FacePass } from './face-pass';
import { destroyFrame, uploadFrame, type GpuFrame } from './gpu-frame';
import { createKernels, type Kernels } from './pipelines';
import { readBuffer } from './readback';
import type { MeshSwapper, StageTimes, SwapOutput } from './types';

/**
 * The mesh swap on WebGPU. Source and target are uploaded once, every stage runs on the GPU, and
 * the output image and touched mask are read back once at the end. The faces' buffers (FacePass)
 * are kept between swaps and grow to the largest face seen. After the device is lost every swap
 * rejects with an Error that says so.
 */
export function createWebGpuSwapper(device: GPUDevice): MeshSwapper {
  let lostReason: string | null = null;
  let disposed = false;
  let kernels: Promise<Kernels> | null = null;
  let pass: FacePass | null = null;
  let queue: Promise<unknown> = Promise.resolve();
  void device.lost.then((info) => {
    lostReason = info.message || info.reason || 'unknown reason';
  });
  const deviceLost = () =>
    new Error(`The WebGPU device was lost (${lostReason}); create a new device or use the CPU swapper.`);

  const stage = async (
    times: StageTimes,
    key: keyof StageTimes,
    encode: (encoder: GPUCommandEncoder) => void,
  ) => {
    const start = performance.now();
    const encoder = device.createCommandEncoder();
    encode(encoder);
    device.queue.submit([encoder.finish()]);
    await device.queue.onSubmittedWorkDone();
    times[key] += performance.now() - start;
  };

  const run: MeshSwapper['swap'] = async (source, target, faces, topology, options, signal, onFaceDone) => {
    throwIfAborted(signal);
    if (disposed) throw new Error('This WebGPU swapper has been disposed.');
    if (lostReason !== null) throw deviceLost();
    validateSwapInput([source, target], faces, topology);
    kernels ??= createKernels(device);
    const compiled = await kernels;
    device.pushErrorScope('out-of-memory');
    device.pushErrorScope('validation');
    const facePass = (pass ??= new FacePass(device, compiled));
    const times: StageTimes = { warp: 0, colour: 0, blend: 0 };
    let frame: GpuFrame | null = null;
    let output: SwapOutput | null = null;
    let failure: unknown = null;
    try {
      frame = uploadFrame(device, source, target);
      for (const [index, face] of faces.entries()) {
        throwIfAborted(signal);
        const geometry = faceGeometry(face, topology, options, target.width, target.height);
        if (!geometry) continue;
        facePass.prepare(frame, geometry, face, topology, options.strength);
        await stage(times, 'warp', (encoder) => facePass.encodeWarpAndMask(encoder));
        throwIfAborted(signal);
        await stage(times, 'colour', (encoder) => facePass.encodeColour(encoder));
        throwIfAborted(signal);
        await stage(times, 'blend', (encoder) => {
          facePass.encodeBlend(encoder);
          facePass.encodeComposite(encoder);
        });
        onFaceDone?.(index + 1, faces.length);
      }
      const start = performance.now();
      const [image, touched] = await Promise.all([
        readBuffer(device, frame.image),
        readBuffer(device, frame.touched, target.width * target.height),
      ]);
      times.blend += performance.now() - start;
      output = {
        image: { width: target.width, height: target.height, data: new Uint8ClampedArray(image) },
        touched: new Uint8Array(touched),
        times,
      };
    } catch (error) {
      failure = error;
    }
    const validation = await device.popErrorScope();
    const memory = await device.popErrorScope();
    if (frame) destroyFrame(frame);
    if (lostReason !== null) throw deviceLost();
    const gpuError = validation ?? memory;
    if (gpuError) throw new Error(`WebGPU mesh swap failed: ${gpuError.message}`);
    if (failure !== null || !output) throw failure;
    return output;
  };

  return {
    kind: 'webgpu',
    swap(...args) {
      const result = queue.then(() => run(...args));
      queue = result.catch(() => undefined);
      return result;
    },
    dispose() {
      disposed = true;
      void queue.then(() => pass?.destroy());
    },
  };
}
