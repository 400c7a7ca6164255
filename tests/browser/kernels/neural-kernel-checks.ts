import { requestGpuDevice } from '../../../src/gpu/device';
import { gpuBytes } from '../../../src/gpu/gpu-frame';
import { NeuralKernels, type NeuralFrame } from '../../../src/gpu/neural-kernels';
import { cropReference, meanStdNormalisation, type CropParams } from '../../../src/gpu/reference/neural-crop';
import {
  DEFAULT_REGION_CLASSES,
  occlusionMaskReference,
  REGION_CLASS_COUNT,
  regionMaskReference,
} from '../../../src/gpu/reference/neural-mask';
import { handHolesValue, packHands } from '../../../src/gpu/reference/hand-holes';
import { mergeTilesReference } from '../../../src/gpu/reference/neural-merge';
import {
  boxMaskValue,
  modelMaskValue,
  pasteReference,
  pasteRegion,
  type PasteParams,
} from '../../../src/gpu/reference/neural-paste';
import type { RgbaImage } from '../../../src/gpu/types';
import { invertAffine, type Affine } from '../../../src/gpu/affine';
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

/**
 * Crop kernel vs cropReference for replicate, zero, a space-to-depth phase, XSeg's input (NHWC, BGR,
 * x / 255) and BiSeNet's (per-channel mean/std).
 */
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
    nhwcBgr: await compare({
      ...plain(invertAffine(alignment(104, 92, 120, 0.3, 256)), 256),
      layout: 'nhwc',
      bgr: true,
    }),
    perChannel: await compare({
      ...plain(invertAffine(alignment(104, 92, 120, 0.3, 512)), 512),
      ...meanStdNormalisation([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
    }),
  };
}

function floatBuffer(device: GPUDevice, values: Float32Array): GPUBuffer {
  const buffer = device.createBuffer({
    size: values.byteLength,
    usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
  });
  device.queue.writeBuffer(buffer, 0, gpuBytes(values));
  return buffer;
}

/** A stand-in for XSeg's 256x256 output: unoccluded (above 1) but for a hand-shaped blob (below 0), with ripples. */
function occlusionOutput(side: number): Float32Array {
  const out = new Float32Array(side * side);
  for (let y = 0; y < side; y++)
    for (let x = 0; x < side; x++) {
      const hand = Math.hypot(x - 150, (y - 150) * 0.7) < 45 || (x > 120 && x < 140 && y > 60 && y < 150);
      out[y * side + x] = (hand ? -0.2 : 1.3) + 0.25 * Math.sin(x * 0.3) * Math.cos(y * 0.2);
    }
  return out;
}

/** A stand-in for BiSeNet's 19 x 512 x 512 logits: a face of skin, eyes, nose and mouth, hair above, noise. */
function regionLogits(side: number): Float32Array {
  const plane = side * side;
  const out = new Float32Array(REGION_CLASS_COUNT * plane);
  const inside = (x: number, y: number, cx: number, cy: number, rx: number, ry: number) =>
    ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 < 1;
  for (let y = 0; y < side; y++)
    for (let x = 0; x < side; x++) {
      let label = 0;
      if (y < 140 && inside(x, y, 256, 200, 200, 160)) label = 17;
      else if (inside(x, y, 256, 280, 170, 210)) label = 1;
      if (inside(x, y, 190, 230, 35, 18)) label = 4;
      if (inside(x, y, 322, 230, 35, 18)) label = 5;
      if (inside(x, y, 256, 300, 25, 50)) label = 10;
      if (inside(x, y, 256, 390, 60, 22)) label = y < 390 ? 12 : 13;
      for (let c = 0; c < REGION_CLASS_COUNT; c++) {
        const noise = ((x * 131 + y * 71 + c * 29) % 97) / 97;
        out[c * plane + y * side + x] = (c === label ? 2.5 : 0) + noise * 2;
      }
    }
  return out;
}

/** Mask kernels vs occlusionMaskReference / regionMaskReference on the same model outputs. */
async function maskChecks(kernels: NeuralKernels, device: GPUDevice) {
  const xseg = occlusionOutput(256);
  const xsegBuffer = floatBuffer(device, xseg);
  const occlusion = kernels.occlusionMask(xsegBuffer, 256);
  const bisenet = regionLogits(512);
  const bisenetBuffer = floatBuffer(device, bisenet);
  const region = kernels.regionMask(bisenetBuffer, DEFAULT_REGION_CLASSES, 512);
  const occlusionValues = await kernels.readFloats(occlusion, 256 * 256);
  const regionValues = await kernels.readFloats(region, 512 * 512);
  xsegBuffer.destroy();
  bisenetBuffer.destroy();
  const zeros = (values: Float32Array) => values.filter((v) => v <= 0).length;
  const ones = (values: Float32Array) => values.filter((v) => v > 0.999).length;
  return {
    occlusion,
    region,
    results: {
      occlusion: maxDiff(occlusionValues, occlusionMaskReference(xseg, 256)),
      region: maxDiff(regionValues, regionMaskReference(bisenet, 512, DEFAULT_REGION_CLASSES)),
      occlusionZeros: zeros(occlusionValues),
      occlusionOnes: ones(occlusionValues),
      regionZeros: zeros(regionValues),
      regionOnes: ones(regionValues),
    },
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
 * Paste kernel vs pasteReference on the GPU's own crop (and model masks): byte difference and how
 * many bytes differ, pixels the paste changed, pixels changed where the reference mask is <= 0,
 * touched disagreements where the mask is not within 1e-6 of 0, pixels inside the box that the
 * model masks (their minimum) zero, and pixels inside the box that the hand holes zero.
 */
async function pasteCheck(
  kernels: NeuralKernels,
  frame: RgbaImage,
  crop: GPUBuffer,
  params: Omit<PasteParams, 'region' | 'modelMasks'>,
  modelMasks: readonly { buffer: GPUBuffer; side: number }[] = [],
) {
  const p: PasteParams = {
    ...params,
    region: pasteRegion(params.toCrop, params.size, frame.width, frame.height),
    ...(modelMasks.length > 0 && { modelMasks: modelMasks.map(({ side }) => ({ side })) }),
  };
  const gpuFrame = kernels.uploadFrame(frame);
  kernels.paste(
    gpuFrame,
    crop,
    p,
    modelMasks.map((mask) => mask.buffer),
  );
  const gpu = await kernels.readFrame(gpuFrame);
  kernels.destroyFrame(gpuFrame);
  const cpu = { ...frame, data: new Uint8ClampedArray(frame.data) };
  const cpuTouched = new Uint8Array(frame.width * frame.height);
  const maskValues = await Promise.all(
    modelMasks.map((mask) => kernels.readFloats(mask.buffer, mask.side ** 2)),
  );
  pasteReference(cpu, await kernels.readFloats(crop, 3 * p.size * p.size), p, cpuTouched, maskValues);

  const hands = packHands(p.hands);
  const [a, b, c, d, e, f] = p.toCrop;
  const [rx, ry, rw, rh] = p.region;
  let handsOut = 0;
  let unmaskedChanged = 0;
  let touchedMismatch = 0;
  let touchedCount = 0;
  let changed = 0;
  let maskedOut = 0;
  for (let y = 0; y < frame.height; y++) {
    for (let x = 0; x < frame.width; x++) {
      const i = y * frame.width + x;
      const inRegion = x >= rx && y >= ry && x < rx + rw && y < ry + rh;
      const u = a * x + b * y + c;
      const v = d * x + e * y + f;
      const box = inRegion ? boxMaskValue(u, v, p.size, p.mask) : 0;
      const model =
        box > 0
          ? Math.min(
              1,
              ...maskValues.map((mask, k) => modelMaskValue(mask, modelMasks[k]!.side, p.size, u, v)),
            )
          : 1;
      if (box > 0 && model <= 0) maskedOut++;
      const hole = box > 0 ? handHolesValue(x, y, hands) : 1;
      if (box > 0 && hole <= 0) handsOut++;
      const m = Math.min(box, model, hole) * p.amount;
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
    maskedOut,
    handsOut,
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
  const masks = await maskChecks(kernels, handle.device);
  // The "swapped face": the frame's crop of another place, pasted over the first face.
  const swapped = kernels.crop(gpuFrame, plain(invertAffine(alignment(70, 120, 90, 0.5, 128)), 128));
  const swapParams = {
    toCrop: alignment(104, 92, 120, 0.3, 128),
    size: 128,
    outScale: 255,
    outOffset: 0,
    mask: { blur: 0.3, padding: [0, 0, 0, 0] as const },
    amount: 1,
  };
  const swap = await pasteCheck(kernels, frame, swapped, swapParams);
  // The merged 256-px tensor in GFPGAN's -1..1 range, pasted elsewhere with padding and a blend amount.
  const restoreParams = {
    toCrop: alignment(120, 80, 110, 0.9, 256),
    size: 256,
    outScale: 127.5,
    outOffset: 127.5,
    mask: { blur: 0.2, padding: [10, 0, 20, 6] as const },
    amount: 0.8,
  };
  const restore = await pasteCheck(kernels, frame, merge.buffer, restoreParams);
  // The same pastes under the model masks: the 256 occlusion mask over the 128 swap, the 512 region mask over the 256 restore.
  const occlusionMask = { buffer: masks.occlusion, side: 256 };
  const regionMask = { buffer: masks.region, side: 512 };
  const swapOccluded = await pasteCheck(kernels, frame, swapped, swapParams, [occlusionMask]);
  const restoreRegion = await pasteCheck(kernels, frame, merge.buffer, restoreParams, [regionMask]);
  // Both at once over the swap, as the neural engine combines them: occlusion, then region.
  const swapRegion = await pasteCheck(kernels, frame, swapped, swapParams, [regionMask]);
  const swapBoth = await pasteCheck(kernels, frame, swapped, swapParams, [occlusionMask, regionMask]);
  // Two hands over the swapped face (one partly outside the box), alone and under the occlusion mask;
  // and over the restore, whose padded box they overlap less.
  const hands = {
    outlines: [
      new Float32Array([62, 96, 86, 90, 100, 108, 92, 130, 68, 128]),
      new Float32Array([118, 40, 160, 62, 132, 92]),
    ],
    featherPx: 10,
  };
  const swapHands = await pasteCheck(kernels, frame, swapped, { ...swapParams, hands });
  const swapHandsOccluded = await pasteCheck(kernels, frame, swapped, { ...swapParams, hands }, [
    occlusionMask,
  ]);
  const restoreHands = await pasteCheck(kernels, frame, merge.buffer, { ...restoreParams, hands });
  kernels.destroyFrame(gpuFrame);
  kernels.destroy();
  return {
    adapter: handle.info,
    gpuErrors,
    crop,
    merge: { vsReference: merge.vsReference, vsPlainCrop: merge.vsPlainCrop },
    masks: masks.results,
    swap,
    restore,
    swapOccluded,
    restoreRegion,
    swapRegion,
    swapBoth,
    swapHands,
    swapHandsOccluded,
    restoreHands,
  };
}

export type NeuralKernelCheckResults = Awaited<ReturnType<typeof run>>;

declare global {
  interface Window {
    runNeuralKernelChecks?: () => Promise<NeuralKernelCheckResults>;
  }
}

window.runNeuralKernelChecks = run;
