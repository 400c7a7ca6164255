import { createCpuSwapper } from '../../gpu/cpu-swapper';
import { featherWidth } from '../../gpu/face-geometry';
import { keepTargetRegions } from '../../gpu/reference/keep-target';
import type { FacePair, MeshSwapper, RgbaImage } from '../../gpu/types';
import type { BlendOptions } from '../../shared/blend';
import { DoppelError } from '../../shared/errors';
import type { Stage, SwapOptions } from './api';
import type { DetectedFace } from './faces';
import { facePair } from './frame-swappers';
import type { PhotoStore } from './photo-store';
import type { Ready } from './start';
import { defaultNeuralOptions } from '../neural/neural-engine';

/** One image's swap by either engine: the built-in swap (with its CPU fallback) or the neural one. */

type Report = (stage: Stage, fraction: number, message: string) => void;

export function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

export function isGpuLoss(error: unknown): boolean {
  return error instanceof DoppelError && error.code === 'GPU_LOST';
}

/** The built-in swap's faces: the source face onto each target face, with the hands over it. */
export function facePairs(
  source: { face: DetectedFace; glasses: boolean },
  hands: readonly Float32Array[],
  faces: readonly DetectedFace[],
  blend: BlendOptions,
): FacePair[] {
  return faces.map((face) => facePair(source.face.mesh, source.glasses, face, hands, blend));
}

/**
 * The neural engine on one image: the source face (and the request's extra source photos) onto
 * `faces`, the hands over them (of the target's outlines) kept in front unless blend.hands is false,
 * then the eyes, mouth and occluders kept from the target as the built-in engine keeps them.
 */
export async function runNeural(
  ready: Ready,
  photos: PhotoStore,
  request: SwapOptions,
  source: { pixels: RgbaImage; face: DetectedFace; glasses: boolean },
  { pixels: target, hands }: { pixels: RgbaImage; hands: readonly Float32Array[] },
  faces: readonly DetectedFace[],
  signal: AbortSignal,
  report: Report,
) {
  const sources = [
    { image: source.pixels, mesh: source.face.mesh },
    ...(request.moreSources ?? []).map((more) => {
      const extra = photos.sourceFace(more.sourceId, more.sourceFace);
      return { image: extra.pixels, mesh: extra.face.mesh };
    }),
  ];
  report('models', 0.02, 'Loading the neural models');
  const keepHands = request.blend.hands !== false && hands.length > 0;
  const output = await ready.neural.swap({
    sources,
    target,
    faces: faces.map((face) => ({
      box: face.box,
      mesh: face.mesh,
      ...(keepHands && {
        hands: { outlines: hands, featherPx: featherWidth(face.mesh, ready.topology, request.blend) },
      }),
    })),
    options: { ...defaultNeuralOptions, ...request.neural },
    signal,
    onFaceDone: (done, total) =>
      report('swap', 0.1 + (0.85 * done) / total, `Swapped face ${done} of ${total}`),
  });
  const meshes = faces.map((face) => face.mesh);
  keepTargetRegions(output.image, target, meshes, ready.topology, request.blend);
  return { ...output, times: output.ms, engine: 'neural' as const };
}

/**
 * The built-in swap on one image; when the GPU fails it finishes on the CPU, and a lost GPU moves
 * the engine to the CPU swapper for good.
 */
export async function runBuiltin(
  ready: Ready,
  source: RgbaImage,
  target: RgbaImage,
  pairs: FacePair[],
  request: SwapOptions,
  signal: AbortSignal,
  report: Report,
) {
  const onFaceDone = (done: number, total: number) =>
    report('blend', 0.05 + (0.9 * done) / total, `Swapped face ${done} of ${total}`);
  const run = (swapper: MeshSwapper) =>
    swapper.swap(source, target, pairs, ready.topology, request.blend, signal, onFaceDone);
  try {
    return await run(ready.swapper);
  } catch (error) {
    if (ready.swapper.kind !== 'webgpu' || signal.aborted || isAbort(error)) throw error;
    const cpu = createCpuSwapper();
    if (isGpuLoss(error)) {
      ready.swapper = cpu;
      ready.info = {
        ...ready.info,
        swapper: 'cpu',
        reason: `${ready.info.reason} The GPU was lost, so the CPU now runs the swap.`,
      };
    }
    report('warp', 0.1, 'The GPU could not finish this swap; continuing on the CPU');
    return run(cpu);
  }
}
