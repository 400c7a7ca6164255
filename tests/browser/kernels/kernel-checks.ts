import { createCpuSwapper } from '../../../src/gpu/cpu-swapper';
import { DoppelError } from '../../../src/shared/errors';
import { requestGpuDevice } from '../../../src/gpu/device';
import { faceGeometry } from '../../../src/gpu/face-geometry';
import { FacePass } from '../../../src/gpu/face-pass';
import { uploadFrame } from '../../../src/gpu/gpu-frame';
import { createKernels } from '../../../src/gpu/pipelines';
import { readBuffer } from '../../../src/gpu/readback';
import {
  blendWeight,
  colourBlur,
  colourCells,
  colourGrid,
  colourGuide,
  colourTransfer,
  gaussianWeights,
} from '../../../src/gpu/reference/colour';
import { compositeFace } from '../../../src/gpu/reference/composite';
import { faceMask } from '../../../src/gpu/reference/mask';
import { faceKeep, SKIN_FLOATS, skinModel } from '../../../src/gpu/reference/occlusion';
import { poissonCells, poissonSetup, poissonSolve, runMultigrid } from '../../../src/gpu/reference/poisson';
import { smoothStats, TONE_FLOATS, toneApply, toneRegions, toneStats } from '../../../src/gpu/reference/tone';
import { toneRate } from '../../../src/gpu/track-memory';
import { warpMesh } from '../../../src/gpu/reference/warp';
import { warpPoints } from '../../../src/gpu/warp-points';
import type { RgbaImage } from '../../../src/gpu/types';
import { createWebGpuSwapper } from '../../../src/gpu/webgpu-swapper';
import { readFloatTexture } from './read-texture';
import { swapFixture } from './synthetic-face';

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

/** Largest |a - b| / max(1, |b|): sums over many pixels, compared to their size. */
function relativeDiff(a: ArrayLike<number>, b: ArrayLike<number>) {
  let max = 0;
  for (let i = 0; i < a.length; i++)
    max = Math.max(max, Math.abs(a[i]! - b[i]!) / Math.max(1, Math.abs(b[i]!)));
  return { max, count: a.length };
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

const { topology, source, target, faces, options } = swapFixture();

/** Runs each kernel on the GPU and its reference on the GPU's own inputs; returns agreement figures. */
async function stageChecks(device: GPUDevice) {
  const kernels = await createKernels(device);
  const geometry = faceGeometry(faces[0]!, topology, options, target.width, target.height)!;
  const { roi } = geometry;
  const pixels = roi.width * roi.height;
  const frame = uploadFrame(device, source, target);
  const pass = new FacePass(device, kernels);
  const points = warpPoints(faces[0]!, topology);
  pass.prepare(frame, geometry, faces[0]!, topology, options.strength);
  const submit = (encode: (encoder: GPUCommandEncoder) => void) => {
    const encoder = device.createCommandEncoder();
    encode(encoder);
    device.queue.submit([encoder.finish()]);
  };
  const floats = async (buffer: GPUBuffer, count: number) =>
    new Float32Array(await readBuffer(device, buffer, count * 4));

  submit((encoder) => pass.encodeWarpAndMask(encoder));
  const warp = await readFloatTexture(device, pass.warp, roi.width, roi.height);
  const alpha = await floats(pass.alpha, pixels);
  const keep = await floats(pass.keep, pixels);
  const skin = await floats(pass.skin, SKIN_FLOATS);
  const cpuWarp = warpMesh(source, points, topology.triangles, roi);
  let covered = 0;
  let coverageMismatch = 0;
  for (let i = 0; i < pixels; i++) {
    covered += cpuWarp[i * 4 + 3]!;
    if (cpuWarp[i * 4 + 3] !== warp[i * 4 + 3]) coverageMismatch++;
  }
  const bothCovered = (i: number) =>
    i % 4 !== 3 && warp[i - (i % 4) + 3] === 1 && cpuWarp[i - (i % 4) + 3] === 1;

  submit((encoder) => pass.encodeColour(encoder));
  const regions = await floats(pass.toneRegions, pixels * 4);
  const stats = await floats(pass.toneStats, TONE_FLOATS);
  const matched = await floats(pass.matched, pixels * 4);
  const grid = colourGrid(roi, geometry.colourSigma);
  const weights = gaussianWeights(grid.sigma);
  const cells = await floats(pass.colourCells, grid.width * grid.height * 4);
  const blurred = await floats(pass.colourBlurred, grid.width * grid.height * 4);
  const guide = await floats(pass.guide, pixels * 4);
  const rgb = (i: number) => i % 4 !== 3;

  submit((encoder) => pass.encodeBlend(encoder));
  const levelCells = poissonCells(roi.width, roi.height);
  const stencil = await readBuffer(device, pass.stencil, levelCells * 8);
  const b = await floats(pass.poissonB, pixels * 4);
  const solution = await floats(pass.solution, pixels * 4);
  const grids = poissonSetup(target, roi, alpha, guide);
  const links = new Uint32Array(stencil).filter((_, k) => k % 2 === 0);
  const diagonal = new Float32Array(stencil).filter((_, k) => k % 2 === 1);
  const converged = poissonSetup(target, roi, alpha, guide);
  for (let n = 0; n < 6; n++) runMultigrid(converged);
  const inDomain = (i: number) => alpha[i >> 2]! > 0 && i % 4 !== 3;

  submit((encoder) => pass.encodeComposite(encoder));
  const gpuImage = new Uint8ClampedArray(await readBuffer(device, frame.image));
  const gpuTouched = new Uint8Array(await readBuffer(device, frame.touched, target.width * target.height));
  const cpuImage = { ...target, data: new Uint8ClampedArray(target.data) };
  const cpuTouched = new Uint8Array(target.width * target.height);
  compositeFace(cpuImage, cpuTouched, roi, alpha, solution, options.strength, keep);
  pass.destroy();

  return {
    roi,
    covered,
    coverageMismatch,
    warp: maxDiff(warp, cpuWarp, bothCovered),
    mirroredPoints: points.shown.filter((shown) => shown < 1).length,
    mask: maxDiff(alpha, faceMask(warp, geometry)),
    domain: alpha.filter((a) => a > 0).length,
    skin: maxDiff(skin, skinModel(target, geometry)),
    keep: maxDiff(keep, faceKeep(target, geometry, skin)),
    keptFromTarget: keep.filter((k, i) => k < 1 && alpha[i]! > 0).length,
    toneRegions: maxDiff(regions, toneRegions(geometry, alpha, keep)),
    regionWeights: regions.filter((_, k) => k % 4 !== 3 && k % 4 !== 0).filter((m) => m > 0.5).length,
    toneStats: relativeDiff(stats, toneStats(warp, target, roi, regions)),
    matched: maxDiff(matched, toneApply(warp, regions, stats)),
    toneChanged: maxDiff(matched, warp, (i) => rgb(i) && regions[(i >> 2) * 4 + 3]! > 0),
    colourFactor: grid.factor,
    colourCells: maxDiff(cells, colourCells(matched, target, roi, blendWeight(alpha, keep), grid)),
    colourBlur: maxDiff(blurred, colourBlur(colourBlur(cells, grid, weights, 0), grid, weights, 1)),
    guide: maxDiff(guide, colourGuide(matched, target, roi, grid, blurred, keep), rgb),
    colour: maxDiff(
      guide,
      colourTransfer(matched, target, roi, alpha, geometry.colourSigma, undefined, keep),
      rgb,
    ),
    guideCorrected: maxDiff(guide, warp, (i) => rgb(i) && warp[i - (i % 4) + 3]! > 0 && keep[i >> 2] === 1),
    levels: grids.levels.length,
    linksMismatch: links.filter((bits, i) => bits !== grids.links[i]).length,
    diagonal: maxDiff(diagonal, grids.diagonal),
    rhs: maxDiff(b, grids.b.subarray(0, pixels * 4)),
    solution: maxDiff(solution, poissonSolve(target, roi, alpha, guide), inDomain),
    unconverged: maxDiff(
      solution,
      guide.map((g, i) => g + converged.x[i]!),
      inDomain,
    ),
    composite: compareImages({ ...target, data: gpuImage }, cpuImage, gpuTouched, cpuTouched, target),
  };
}

/**
 * A tracked face's tone statistics and skin model on the GPU over two frames: the first's replace
 * what the track held; the second frame's (the target darkened) are mixed in at toneRate(dt).
 */
async function toneTrackCheck(device: GPUDevice) {
  const kernels = await createKernels(device);
  const pass = new FacePass(device, kernels);
  const darker = { ...target, data: target.data.map((v, i) => (i % 4 === 3 ? v : v * 0.7)) };
  const dt = 1 / 30;
  const frames = [
    { image: target, track: { id: 7, dt: 0 } },
    { image: darker, track: { id: 7, dt } },
  ];
  const raw: Float64Array[] = [];
  const gpu: Float32Array[] = [];
  const skins: Float64Array[] = [];
  const gpuSkins: Float32Array[] = [];
  for (const { image, track } of frames) {
    const face = { ...faces[0]!, track };
    const geometry = faceGeometry(face, topology, options, image.width, image.height)!;
    const frame = uploadFrame(device, source, image);
    pass.prepare(frame, geometry, face, topology, options.strength);
    const encoder = device.createCommandEncoder();
    pass.encodeWarpAndMask(encoder);
    pass.encodeColour(encoder);
    device.queue.submit([encoder.finish()]);
    const { roi } = geometry;
    const pixels = roi.width * roi.height;
    const warp = await readFloatTexture(device, pass.warp, roi.width, roi.height);
    const regions = new Float32Array(await readBuffer(device, pass.toneRegions, pixels * 16));
    raw.push(toneStats(warp, image, roi, regions));
    gpu.push(new Float32Array(await readBuffer(device, pass.toneStats, TONE_FLOATS * 4)));
    skins.push(Float64Array.from(skinModel(image, geometry)));
    gpuSkins.push(new Float32Array(await readBuffer(device, pass.skin, SKIN_FLOATS * 4)));
  }
  pass.destroy();
  const expected = smoothStats(raw[0], raw[1]!, toneRate(dt));
  return {
    first: relativeDiff(gpu[0]!, raw[0]!),
    smoothed: relativeDiff(gpu[1]!, expected),
    unsmoothed: relativeDiff(gpu[1]!, raw[1]!),
    skinSmoothed: maxDiff(gpuSkins[1]!, smoothStats(skins[0], skins[1]!, toneRate(dt))),
    skinUnsmoothed: maxDiff(gpuSkins[1]!, skins[1]!),
  };
}

/**
 * The whole WebGPU swapper against the CPU swapper on two faces, after a first swap of the small
 * face alone; the repeat of the same swap creates no buffer or texture but the frame's and the
 * read-backs' (FacePass keeps its own).
 */
async function swapperCheck(device: GPUDevice) {
  const swapper = createWebGpuSwapper(device);
  await swapper.swap(source, target, [faces[1]!], topology, options);
  const gpu = await swapper.swap(source, target, faces, topology, options);
  const created: (string | undefined)[] = [];
  const { createBuffer, createTexture } = device;
  device.createBuffer = (descriptor) => (
    created.push(descriptor.label),
    createBuffer.call(device, descriptor)
  );
  device.createTexture = (descriptor) => (
    created.push(descriptor.label),
    createTexture.call(device, descriptor)
  );
  const repeat = await swapper.swap(source, target, faces, topology, options).finally(() => {
    Object.assign(device, { createBuffer, createTexture });
  });
  swapper.dispose();
  const cpu = await createCpuSwapper().swap(source, target, faces, topology, options);
  const frameLabels = [undefined, '', 'source', 'image', 'touched'];
  return {
    ...compareImages(gpu.image, cpu.image, gpu.touched, cpu.touched, target),
    repeatDiffers: repeat.image.data.some((v, i) => v !== gpu.image.data[i]),
    faceResourcesCreatedOnRepeat: created.filter((label) => !frameLabels.includes(label)),
  };
}

/** Abort and device loss both reject, with an AbortError and GPU_LOST. */
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
    (error: Error) => (error instanceof DoppelError ? error.code : error.message),
  );
  return { aborted, lost };
}

async function run() {
  const handle = await requestGpuDevice();
  if (!handle) throw new Error('No WebGPU adapter in this browser');
  return {
    adapter: handle.info,
    stages: await stageChecks(handle.device),
    toneTrack: await toneTrackCheck(handle.device),
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
