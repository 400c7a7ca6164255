import { requestGpuDevice } from '../../../src/gpu/device';
import { NeuralKernels, type NeuralFrame } from '../../../src/gpu/neural-kernels';
import { cropReference, type CropParams } from '../../../src/gpu/reference/neural-crop';
import { mergeTilesReference } from '../../../src/gpu/reference/neural-merge';
import {
  boxMaskValue,
  pasteReference,
  pasteRegion,
  type PasteParams,
} from '../../../src/gpu/reference/neural-paste';
import type { RgbaImage } from '../../../src/gpu/types';
import { invertAffine, type Affine } from '../../../src/workers/neural/affine';
import { syntheticImage } from './synthetic-face';

/** Largest |a - b| over all elements. */
function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

/** The test frame: the synthetic texture with a varying alpha, so keeping alpha is checked too. */
function testFrame(): RgbaImage {
  const image = syntheticImage(200, 200, 1);
  for (let p = 0; p < 200 * 200; p++) image.data[p * 4 + 3] = (p * 7) % 256;
  return image;
}

/** Frame-to-crop similarity: a face of `side` frame pixels at (cx, cy), rotated, onto a size-px crop. */
function alignment(cx: number, cy: number, side: number, angle: number, size: number): Affine {
  const s = size / side;
  const cos = s * Math.cos(angle);
  const sin = s * Math.sin(angle);
  const half = (size - 1) / 2;
  return [cos, sin, half - cos * cx - sin * cy, -sin, cos, half + sin * cx - cos * cy];
}

const plain = (toImage: Affine, size: number): CropParams => ({
  toImage,
  size,
  step: 1,
  phaseX: 0,
  phaseY: 0,
  scale: 1 / 255,
  offset: 0,
  border: 'replicate',
});

/** Crop kernel vs cropReference for replicate, zero, and a space-to-depth phase. */
async function cropChecks(kernels: NeuralKernels, gpuFrame: NeuralFrame, frame: RgbaImage) {
  const compare = async (p: CropParams, into?: GPUBuffer) => {
    const count = 3 * p.size * p.size;
    const gpu = await kernels.readFloats(kernels.crop(gpuFrame, p, into), count);
    return maxDiff(gpu, cropReference(frame, p));
  };
  const toImage = invertAffine(alignment(104, 92, 120, 0.3, 128));
  // A buffer of the right size holding other values, to check that `into` is overwritten.
  const into = kernels.crop(gpuFrame, plain(toImage, 160));
  return {
    replicate: await compare(plain(toImage, 128)),
    // Reaches 40 px past every edge of the frame, as a letterbox does.
    zero: await compare({ ...plain([1.75, 0, -40, 0, 1.75, -40], 160), border: 'zero' }, into),
    step2: await compare({
      ...plain(invertAffine(alignment(104, 92, 120, 0.3, 256)), 128),
      step: 2,
      phaseX: 1,
    }),
  };
}

/** Four GPU-cropped tiles merged on the GPU vs mergeTilesReference of the same tiles, and vs a plain crop. */
async function mergeCheck(kernels: NeuralKernels, gpuFrame: NeuralFrame) {
  const full: CropParams = {
    ...plain(invertAffine(alignment(96, 100, 130, -0.2, 256)), 256),
    scale: 1 / 127.5,
    offset: -1,
  };
  const tiles: GPUBuffer[] = [];
  for (let phaseY = 0; phaseY < 2; phaseY++)
    for (let phaseX = 0; phaseX < 2; phaseX++)
      tiles.push(kernels.crop(gpuFrame, { ...full, size: 128, step: 2, phaseX, phaseY }));
  const tileValues = await Promise.all(tiles.map((tile) => kernels.readFloats(tile, 3 * 128 * 128)));
  const merged = kernels.merge(tiles, 2);
  const gpu = await kernels.readFloats(merged, 3 * 256 * 256);
  const plainCrop = await kernels.readFloats(kernels.crop(gpuFrame, full), 3 * 256 * 256);
  return {
    buffer: merged,
    full,
    vsReference: maxDiff(gpu, mergeTilesReference(tileValues, 2)),
    vsPlainCrop: maxDiff(gpu, plainCrop),
  };
}

/**
 * Paste kernel vs pasteReference on the GPU's own crop: byte difference and how many bytes differ,
 * pixels the paste changed, pixels changed where the
 * reference mask is <= 0, and touched disagreements where the mask is not within 1e-6 of 0.
 */
async function pasteCheck(
  kernels: NeuralKernels,
  frame: RgbaImage,
  crop: GPUBuffer,
  params: Omit<PasteParams, 'region'>,
) {
  const p: PasteParams = {
    ...params,
    region: pasteRegion(params.toCrop, params.size, frame.width, frame.height),
  };
  const gpuFrame = kernels.uploadFrame(frame);
  kernels.paste(gpuFrame, crop, p);
  const gpu = await kernels.readFrame(gpuFrame);
  kernels.destroyFrame(gpuFrame);
  const cpu = { ...frame, data: new Uint8ClampedArray(frame.data) };
  const cpuTouched = new Uint8Array(frame.width * frame.height);
  pasteReference(cpu, await kernels.readFloats(crop, 3 * p.size * p.size), p, cpuTouched);

  const [a, b, c, d, e, f] = p.toCrop;
  const [rx, ry, rw, rh] = p.region;
  let unmaskedChanged = 0;
  let touchedMismatch = 0;
  let touchedCount = 0;
  let changed = 0;
  for (let y = 0; y < frame.height; y++) {
    for (let x = 0; x < frame.width; x++) {
      const i = y * frame.width + x;
      const inRegion = x >= rx && y >= ry && x < rx + rw && y < ry + rh;
      const m = inRegion ? boxMaskValue(a * x + b * y + c, d * x + e * y + f, p.size, p.mask) * p.amount : 0;
      const same = [0, 1, 2, 3].every((k) => gpu.image.data[i * 4 + k] === frame.data[i * 4 + k]);
      if (!same) changed++;
      if (m <= 0 && !same) unmaskedChanged++;
      if (gpu.touched[i] !== cpuTouched[i] && Math.abs(m) > 1e-6) touchedMismatch++;
      touchedCount += cpuTouched[i]!;
    }
  }
  const differing = gpu.image.data.filter((value, i) => value !== cpu.data[i]).length;
  return {
    max: maxDiff(gpu.image.data, cpu.data),
    differing,
    changed,
    unmaskedChanged,
    touchedMismatch,
    touchedCount,
  };
}

async function run() {
  const handle = await requestGpuDevice();
  if (!handle) throw new Error('No WebGPU adapter in this browser');
  const gpuErrors: string[] = [];
  handle.device.addEventListener('uncapturederror', (event) => gpuErrors.push(event.error.message));
  const kernels = new NeuralKernels(handle.device);
  const frame = testFrame();
  const gpuFrame = kernels.uploadFrame(frame);
  const crop = await cropChecks(kernels, gpuFrame, frame);
  const merge = await mergeCheck(kernels, gpuFrame);
  // The "swapped face": the frame's crop of another place, pasted over the first face.
  const swapped = kernels.crop(gpuFrame, plain(invertAffine(alignment(70, 120, 90, 0.5, 128)), 128));
  const swap = await pasteCheck(kernels, frame, swapped, {
    toCrop: alignment(104, 92, 120, 0.3, 128),
    size: 128,
    outScale: 255,
    outOffset: 0,
    mask: { blur: 0.3, padding: [0, 0, 0, 0] },
    amount: 1,
  });
  // The merged 256-px tensor in GFPGAN's -1..1 range, pasted elsewhere with padding and a blend amount.
  const restore = await pasteCheck(kernels, frame, merge.buffer, {
    toCrop: alignment(120, 80, 110, 0.9, 256),
    size: 256,
    outScale: 127.5,
    outOffset: 127.5,
    mask: { blur: 0.2, padding: [10, 0, 20, 6] },
    amount: 0.8,
  });
  kernels.destroyFrame(gpuFrame);
  kernels.destroy();
  return {
    adapter: handle.info,
    gpuErrors,
    crop,
    merge: { vsReference: merge.vsReference, vsPlainCrop: merge.vsPlainCrop },
    swap,
    restore,
  };
}

export type NeuralKernelCheckResults = Awaited<ReturnType<typeof run>>;

declare global {
  interface Window {
    runNeuralKernelChecks?: () => Promise<NeuralKernelCheckResults>;
  }
}

window.runNeuralKernelChecks = run;
