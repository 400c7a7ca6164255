import { createCpuSwapper } from '../../../src/gpu/cpu-swapper';
import { requestGpuDevice } from '../../../src/gpu/device';
import { readBuffer } from '../../../src/gpu/readback';
import { faceInput, type ImageRegion } from '../../../src/gpu/reference/face-input';
import { ResidentFrames } from '../../../src/gpu/resident-frames';
import type { RgbaImage } from '../../../src/gpu/types';
import { createWebGpuSwapper } from '../../../src/gpu/webgpu-swapper';
import { swapFixture } from './synthetic-face';

const { topology, source, target, faces, options } = swapFixture();

/** Regions as the face models ask for them: a tile scaled down, a turned crop over the edge, one scaled up. */
const regions: ImageRegion[] = [
  { cx: 90, cy: 80, side: 180, angle: 0 },
  { cx: 30, cy: 140, side: 90, angle: 0.6 },
  { cx: 100, cy: 60, side: 24, angle: -0.2 },
];
const inputSize = 48;

function bitmapOf(image: RgbaImage): Promise<ImageBitmap> {
  return createImageBitmap(new ImageData(new Uint8ClampedArray(image.data), image.width, image.height), {
    premultiplyAlpha: 'none',
    colorSpaceConversion: 'none',
  });
}

function pixelsOf(bitmap: ImageBitmap): Uint8ClampedArray {
  const ctx = new OffscreenCanvas(bitmap.width, bitmap.height).getContext('2d')!;
  ctx.drawImage(bitmap, 0, 0);
  return ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

/** Counts GPUBuffer.mapAsync calls (GPU buffers read back) while `work` runs. */
async function countingReadbacks<T>(work: () => Promise<T>): Promise<{ value: T; readbacks: number }> {
  const mapAsync = GPUBuffer.prototype.mapAsync;
  let readbacks = 0;
  GPUBuffer.prototype.mapAsync = function (this: GPUBuffer, ...args: Parameters<GPUBuffer['mapAsync']>) {
    readbacks++;
    return mapAsync.apply(this, args);
  };
  try {
    return { value: await work(), readbacks };
  } finally {
    GPUBuffer.prototype.mapAsync = mapAsync;
  }
}

/**
 * A frame loaded, its face-model inputs made and two faces swapped, all on the GPU, then presented:
 * the mapAsync calls made by each part, the presented pixels against the CPU swapper's, the frame's
 * own pixels after a round trip with no swap, and the face inputs (read back afterwards) against the
 * reference.
 */
async function run() {
  const handle = await requestGpuDevice();
  if (!handle) throw new Error('No WebGPU adapter in this browser');
  const { device } = handle;
  const frames = new ResidentFrames(device, !handle.info.isFallbackAdapter);
  const swapper = createWebGpuSwapper(device);
  const input = await bitmapOf(target);
  const roundTrip = await frames.load(input, source).then(() => frames.present());
  const resident = await countingReadbacks(async () => {
    const frame = await frames.load(input, source);
    const tensor = await frames.faceInput(regions, inputSize, { scale: 2, offset: -1 });
    const inputs = device.createBuffer({
      size: tensor.size,
      usage: GPUBufferUsage.COPY_DST | GPUBufferUsage.COPY_SRC,
    });
    const encoder = device.createCommandEncoder();
    encoder.copyBufferToBuffer(tensor, 0, inputs, 0, tensor.size);
    device.queue.submit([encoder.finish()]);
    await swapper.swapFrame(frame, faces, topology, options);
    return inputs;
  });
  const presented = await countingReadbacks(() => frames.present());
  const gpuInputs = new Float32Array(await readBuffer(device, resident.value));
  const cpu = await createCpuSwapper().swap(source, target, faces, topology, options);
  const output = pixelsOf(presented.value);
  let changed = 0;
  for (let i = 0; i < output.length; i++) if (output[i] !== target.data[i]) changed++;
  frames.destroy();
  swapper.dispose();
  return {
    adapter: handle.info,
    readbacks: { resident: resident.readbacks, present: presented.readbacks },
    roundTripMax: maxDiff(pixelsOf(roundTrip), target.data),
    swapMax: maxDiff(output, cpu.image.data),
    changed,
    inputs: {
      length: gpuInputs.length,
      max: maxDiff(gpuInputs, faceInput(target, regions, inputSize, { scale: 2, offset: -1 })),
      // The turned crop's bottom-left input pixel lies left of the image.
      blackCorner: gpuInputs[(inputSize + inputSize - 1) * inputSize * 3],
    },
  };
}

export type FrameCheckResults = Awaited<ReturnType<typeof run>>;

declare global {
  interface Window {
    runFrameChecks?: () => Promise<FrameCheckResults>;
  }
}

window.runFrameChecks = run;
