import { throwIfAborted } from './abort';
import { validateSwapInput } from './face-geometry';
import { swappableFace, yawStrength } from './profile';
import { colourTransfer } from './reference/colour';
import { compositeFace } from './reference/composite';
import { faceMask } from './reference/mask';
import { faceKeep, skinModel } from './reference/occlusion';
import { poissonSolve } from './reference/poisson';
import { Scratch } from './reference/scratch';
import { warpMesh } from './reference/warp';
import { warpPoints } from './warp-points';
import type { MeshSwapper, SkippedFace, StageTimes } from './types';

/**
 * The mesh swap on the CPU, built from the TypeScript reference kernels. The colour and blend
 * stages' arrays are kept between swaps (a video swaps every frame).
 */
export function createCpuSwapper(): MeshSwapper {
  const scratch = new Scratch();
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
        const keep = faceKeep(output, geometry, skinModel(output, geometry));
        times.warp += performance.now() - start;
        throwIfAborted(signal);
        start = performance.now();
        const guide = colourTransfer(warp, output, roi, alpha, geometry.colourSigma, scratch, keep);
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
    dispose() {},
  };
}
