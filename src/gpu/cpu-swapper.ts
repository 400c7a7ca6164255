import { throwIfAborted } from './abort';
import { validateSwapInput } from './face-geometry';
import { swappableFace, yawStrength } from './profile';
import { colourTransfer } from './reference/colour';
import { compositeFace } from './reference/composite';
import { faceMask } from './reference/mask';
import { faceKeep, skinModel } from './reference/occlusion';
import { poissonSolve } from './reference/poisson';
import { Scratch } from './reference/scratch';
import { smoothStats, toneMatch } from './reference/tone';
import { warpMesh } from './reference/warp';
import { toneRate, TrackMemory } from './track-memory';
import type { FacePair, MeshSwapper, SkippedFace, StageTimes } from './types';
import { warpPoints } from './warp-points';

/**
 * The mesh swap on the CPU, built from the TypeScript reference kernels. The colour and blend
 * stages' arrays are kept between swaps (a video swaps every frame), and so are the tracked faces'
 * smoothed skin models and tone statistics.
 */
export function createCpuSwapper(): MeshSwapper {
  const scratch = new Scratch();
  const tracks = new TrackMemory<{ skin?: Float64Array; tone?: Float64Array }>();
  /** A tracked face's skin model or tone statistics smoothed with its track's, which they then replace. */
  const smoothed =
    (face: FacePair, key: 'skin' | 'tone') =>
    (values: Float64Array): Float64Array => {
      if (!face.track) return values;
      const state = tracks.get(face.track.id) ?? {};
      state[key] = smoothStats(state[key], values, toneRate(face.track.dt));
      tracks.set(face.track.id, state);
      return state[key];
    };
  return {
    kind: 'cpu',
    async swap(source, target, faces, topology, options, signal, onFaceDone) {
      throwIfAborted(signal);
      validateSwapInput([source, target], faces, topology);
      const output = { width: target.width, height: target.height, data: new Uint8ClampedArray(target.data) };
      const touched = new Uint8Array(target.width * target.height);
      const times: StageTimes = { warp: 0, colour: 0, blend: 0 };
      const skipped: SkippedFace[] = [];
      for (const [index, face] of faces.entries()) {
        throwIfAborted(signal);
        const geometry = swappableFace(face, index, topology, options, target, skipped);
        if (!geometry) {
          onFaceDone?.(index + 1, faces.length);
          continue;
        }
        const { roi } = geometry;
        let start = performance.now();
        const warp = warpMesh(source, warpPoints(face, topology), topology.triangles, roi);
        const alpha = faceMask(warp, geometry);
        const skin = smoothed(face, 'skin')(Float64Array.from(skinModel(output, geometry)));
        const keep = faceKeep(output, geometry, Float32Array.from(skin));
        times.warp += performance.now() - start;
        throwIfAborted(signal);
        start = performance.now();
        const { matched } = toneMatch(warp, output, geometry, alpha, keep, smoothed(face, 'tone'));
        const guide = colourTransfer(matched, output, roi, alpha, geometry.colourSigma, scratch, keep);
        times.colour += performance.now() - start;
        throwIfAborted(signal);
        start = performance.now();
        const solution = poissonSolve(output, roi, alpha, guide, scratch);
        const strength = options.strength * yawStrength(face.yawDeg);
        compositeFace(output, touched, roi, alpha, solution, strength, keep);
        times.blend += performance.now() - start;
        onFaceDone?.(index + 1, faces.length);
      }
      return { image: output, touched, times, skipped };
    },
    dispose() {
      tracks.clear();
    },
  };
}
