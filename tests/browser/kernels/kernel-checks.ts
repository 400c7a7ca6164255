import { createCpuSwapper } from '../../../src/gpu/cpu-swapper';
import { requestGpuDevice } from '../../../src/gpu/device';
import { faceGeometry } from '../../../src/gpu/face-geometry';
import { FacePass } from '../../../src/gpu/face-pass';
import { uploadFrame } from '../../../src/gpu/gpu-frame';
import { createKernels } from '../../../src/gpu/pipelines';
import { readBuffer } from '../../../src/gpu/readback';
import { colourGuide, colourRows, colourTransfer, gaussianWeights } from '../../../src/gpu/reference/colour';
import { compositeFace } from '../../../src/gpu/reference/composite';
import { faceMask } from '../../../src/gpu/reference/mask';
import { poissonRhs, poissonSolve } from '../../../src/gpu/reference/poisson';
import { warpMesh } from '../../../src/gpu/reference/warp';
import type { BlendOptions, FacePair, RgbaImage } from '../../../src/gpu/types';
import { createWebGpuSwapper } from '../../../src/gpu/webgpu-swapper';
import { readFloatTexture } from './read-texture';
import { gridFace, gridTopology, syntheticImage } from './synthetic-face';

/** Largest |a - b| over the indices where `where` holds (all when omitted), and how many were compared. */
function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>, where: (i: number) => boolean = () => true) {
  let max = 0;
  let count = 0;
  for (let i = 0; i < a.length; i++) {
    if (!where(i)) continue;
    count++;
    max = Math.max(max, Math.abs(a[i]! - b[i]!));
  }
  return { max, count };
}

/** Byte-image agreement: largest difference, fraction of channels within 1, pixels differing in touched. */
function compareImages(
  gpu: RgbaImage,
  cpu: RgbaImage,
  gpuTouched: Uint8Array,
  cpuTouched: Uint8Array,
  target: RgbaImage,
) {
  let within1 = 0;
  let max = 0;
  let untouchedChanged = 0;
  for (let i = 0; i < gpu.data.length; i++) {
    const d = Math.abs(gpu.data[i]! - cpu.data[i]!);
    max = Math.max(max, d);
    if (d <= 1) within1++;
    if (!gpuTouched[i >> 2] && gpu.data[i] !== target.data[i]) untouchedChanged++;
  }
  let touchedMismatch = 0;
  let touchedCount = 0;
  for (let p = 0; p < gpuTouched.length; p++) {
    if (gpuTouched[p] !== cpuTouched[p]) touchedMismatch++;
    touchedCount += cpuTouched[p]!;
  }
  return { max, within1: within1 / gpu.data.length, untouchedChanged, touchedMismatch, touchedCount };
}

const topology = gridTopology(8);
const source = syntheticImage(80, 80, 2);
const target = syntheticImage(97, 89, 0);
const faces: FacePair[] = [
  { source: gridFace(8, 40, 42, 26, 30), target: gridFace(8, 46, 46, 30, 34, 0.15) },
  { source: gridFace(8, 40, 42, 26, 30), target: gridFace(8, 80, 18, 12, 14, -0.3) },
];
const options: BlendOptions = {
  strength: 0.9,
  keepMouth: true,
  keepEyes: true,
  feather: 0.08,
  poissonIterations: 40,
};

/** Runs each kernel on the GPU and its reference on the GPU's own inputs; returns agreement figures. */
async function stageChecks(device: GPUDevice) {
  const kernels = await createKernels(device);
  const geometry = faceGeometry(faces[0]!, topology, options, target.width, target.height)!;
  const { roi } = geometry;
  const pixels = roi.width * roi.height;
  const frame = uploadFrame(device, source, target);
  const pass = new FacePass(device, kernels, frame, geometry, faces[0]!, topology, options.strength);
  const submit = (encode: (encoder: GPUCommandEncoder) => void) => {
    const encoder = device.createCommandEncoder();
    encode(encoder);
    device.queue.submit([encoder.finish()]);
  };
  const floats = async (buffer: GPUBuffer) => new Float32Array(await readBuffer(device, buffer));

  submit((encoder) => pass.encodeWarpAndMask(encoder));
  const warp = await readFloatTexture(device, pass.warp);
  const alpha = await floats(pass.alpha);
  const cpuWarp = warpMesh(source, faces[0]!.source, faces[0]!.target, topology.triangles, roi);
  let covered = 0;
  let coverageMismatch = 0;
  for (let i = 0; i < pixels; i++) {
    covered += cpuWarp[i * 4 + 3]!;
    if (cpuWarp[i * 4 + 3] !== warp[i * 4 + 3]) coverageMismatch++;
  }
  const bothCovered = (i: number) =>
    i % 4 !== 3 && warp[i - (i % 4) + 3] === 1 && cpuWarp[i - (i % 4) + 3] === 1;

  submit((encoder) => pass.encodeColour(encoder));
  const rows = await floats(pass.colourRows);
  const guide = await floats(pass.guide);
  const weights = gaussianWeights(geometry.colourSigma);
  const rgb = (i: number) => i % 4 !== 3;

  submit((encoder) => pass.encodePoisson(encoder, options.poissonIterations));
  const rhs = await floats(pass.rhs);
  const solution = await floats(pass.solution);
  const cpuRhs = poissonRhs(target, roi, alpha, guide);
  const inDomain = (i: number) => alpha[i >> 2]! > 0 && i % 4 !== 3;

  submit((encoder) => pass.encodeComposite(encoder));
  const gpuImage = new Uint8ClampedArray(await readBuffer(device, frame.image));
  const gpuTouched = new Uint8Array(await readBuffer(device, frame.touched, target.width * target.height));
  const cpuImage = { ...target, data: new Uint8ClampedArray(target.data) };
  const cpuTouched = new Uint8Array(target.width * target.height);
  compositeFace(cpuImage, cpuTouched, roi, alpha, solution, options.strength);
  pass.destroy();

  return {
    roi,
    covered,
    coverageMismatch,
    warp: maxDiff(warp, cpuWarp, bothCovered),
    mask: maxDiff(alpha, faceMask(warp, geometry)),
    domain: alpha.filter((a) => a > 0).length,
    colourSigma: geometry.colourSigma,
    colourRows: maxDiff(rows, colourRows(warp, target, roi, alpha, weights)),
    guide: maxDiff(guide, colourGuide(warp, target, roi, rows, weights), rgb),
    colour: maxDiff(guide, colourTransfer(warp, target, roi, alpha, geometry.colourSigma), rgb),
    guideCorrected: maxDiff(guide, warp, (i) => rgb(i) && warp[i - (i % 4) + 3]! > 0),
    rhs: maxDiff(rhs, cpuRhs),
    solution: maxDiff(
      solution,
      poissonSolve(target, roi, alpha, rhs, guide, options.poissonIterations),
      inDomain,
    ),
    composite: compareImages({ ...target, data: gpuImage }, cpuImage, gpuTouched, cpuTouched, target),
  };
}

/** The whole WebGPU swapper against the CPU swapper on two faces. */
async function swapperCheck(device: GPUDevice) {
  const gpu = await createWebGpuSwapper(device).swap(source, target, faces, topology, options);
  const cpu = await createCpuSwapper().swap(source, target, faces, topology, options);
  return compareImages(gpu.image, cpu.image, gpu.touched, cpu.touched, target);
}

/** Abort and device loss both reject, with an AbortError and a message naming the loss. */
async function failureChecks() {
  const handle = (await requestGpuDevice())!;
  const swapper = createWebGpuSwapper(handle.device);
  const controller = new AbortController();
  controller.abort();
  const aborted = await swapper.swap(source, target, faces, topology, options, controller.signal).then(
    () => 'resolved',
    (error: Error) => error.name,
  );
  handle.device.destroy();
  await handle.device.lost;
  const lost = await swapper.swap(source, target, faces, topology, options).then(
    () => 'resolved',
    (error: Error) => error.message,
  );
  return { aborted, lost };
}

async function run() {
  const handle = await requestGpuDevice();
  if (!handle) throw new Error('No WebGPU adapter in this browser');
  return {
    adapter: handle.info,
    stages: await stageChecks(handle.device),
    swapper: await swapperCheck(handle.device),
    failures: await failureChecks(),
  };
}

export type KernelCheckResults = Awaited<ReturnType<typeof run>>;

declare global {
  interface Window {
    runKernelChecks?: () => Promise<KernelCheckResults>;
  }
}

window.runKernelChecks = run;
