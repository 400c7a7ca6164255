import { describe, expect, it } from 'vitest';
import { pageCheck } from './page-checks';

/**
 * Each WGSL kernel of the mesh swap, and the whole WebGPU swapper, against the TypeScript reference
 * in real Chromium on SwiftShader's WebGPU. Each kernel's reference runs on the GPU's own inputs
 * (the previous stage read back), so differences are the kernel's alone.
 *
 * Tolerances (float32 on the GPU vs float64 in the reference; measured differences, at the time of
 * writing, in brackets): warp rgb <= 1e-5 where both cover the pixel, half of the face filled from
 * the source's mirrored half [4e-7], coverage differs on
 * <= 0.5% of covered pixels [0]; mask <= 1e-5 [2e-7]; skin model and keep (kept holes times the
 * occlusion test) <= 1e-5 [1e-7, 2e-7], with 2643 domain pixels partly kept from the target; tone
 * match: regions <= 1e-5 [1.5e-7], Oklab statistics <= 1e-4 of their size [2.7e-6], matched warp
 * <= 1e-4 [1.1e-5] and changed from the warp by > 0.02 [0.31]; a tracked face's statistics over two
 * frames, the second mixed in at toneRate(1/30 s), <= 1e-4 of their size [2.7e-6], and its skin
 * model <= 1e-5; colour (sigma 12 px on a grid 3x coarser):
 * grid statistics, blur, transfer on the GPU's own grid, and the whole stage <= 1e-5 [9e-8, 1e-7,
 * 6e-8, 1e-7]; Poisson stencils: links equal, diagonals <= 1e-5 [2e-6]; right-hand side <= 1e-5
 * [1e-7]; the multigrid solution <= 1e-5 from the reference's [6e-8] and <= 0.25/255 from a
 * converged solve [0.03/255]; composite bytes differ by at most 1 [0], touched exactly equal,
 * untouched pixels equal the target byte for byte. Whole WebGPU swapper vs CPU swapper (two
 * overlapping faces, one clipped by the image, mouth and eyes kept): max diff <= 2/255 and >= 99.9%
 * of channels within 1/255 [1/255; 100%], touched differs on <= 0.1% of touched pixels [0],
 * untouched pixels equal the target; repeating a swap gives the same image and creates no buffer
 * but the frame's.
 */
describe('mesh swap kernels on WebGPU (SwiftShader)', () => {
  const results = pageCheck('/tests/browser/kernels/index.html', 'runKernelChecks');

  it('runs on the software adapter', () => {
    expect(results().adapter.isFallbackAdapter).toBe(true);
  });

  it('warp matches the barycentric reference, also where the source is filled from its mirrored half', () => {
    const { warp, covered, coverageMismatch, mirroredPoints } = results().stages;
    expect(mirroredPoints).toBeGreaterThan(10);
    expect(covered).toBeGreaterThan(2000);
    expect(coverageMismatch).toBeLessThanOrEqual(covered * 0.005);
    expect(warp.count).toBeGreaterThan(covered * 3 * 0.99);
    expect(warp.max).toBeLessThanOrEqual(1e-5);
  });

  it('mask matches the polygon-distance reference', () => {
    expect(results().stages.domain).toBeGreaterThan(1500);
    expect(results().stages.mask.max).toBeLessThanOrEqual(1e-5);
  });

  it('skin model and keep (kept holes times occlusion) match their references', () => {
    const { skin, keep, keptFromTarget } = results().stages;
    expect(skin.max).toBeLessThanOrEqual(1e-5);
    expect(keep.max).toBeLessThanOrEqual(1e-5);
    expect(keptFromTarget).toBeGreaterThan(50);
  });

  it('tone match (regions, Oklab statistics, per-region transfer) matches', () => {
    const { toneRegions, regionWeights, toneStats, matched, toneChanged } = results().stages;
    expect(regionWeights).toBeGreaterThan(100);
    expect(toneRegions.max).toBeLessThanOrEqual(1e-5);
    expect(toneStats.max).toBeLessThanOrEqual(1e-4);
    expect(matched.max).toBeLessThanOrEqual(1e-4);
    expect(toneChanged.max).toBeGreaterThan(0.02);
  });

  it("a tracked face's tone statistics and skin model are mixed over its frames on the GPU", () => {
    const { first, smoothed, unsmoothed, skinSmoothed, skinUnsmoothed } = results().toneTrack;
    expect(first.max).toBeLessThanOrEqual(1e-4);
    expect(smoothed.max).toBeLessThanOrEqual(1e-4);
    expect(unsmoothed.max).toBeGreaterThan(0.01);
    expect(skinSmoothed.max).toBeLessThanOrEqual(1e-5);
    expect(skinUnsmoothed.max).toBeGreaterThan(0.01);
  });

  it('colour transfer (grid statistics, separable blur, transfer) matches', () => {
    const { colourFactor, colourCells, colourBlur, guide, colour, guideCorrected } = results().stages;
    expect(colourFactor).toBeGreaterThan(1);
    expect(colourCells.max).toBeLessThanOrEqual(1e-5);
    expect(colourBlur.max).toBeLessThanOrEqual(1e-5);
    expect(guide.max).toBeLessThanOrEqual(1e-5);
    expect(colour.max).toBeLessThanOrEqual(1e-5);
    expect(guideCorrected.max).toBeGreaterThan(0.05);
  });

  it('Poisson stencils, right-hand side and multigrid solution match, and the solve has converged', () => {
    const { levels, linksMismatch, diagonal, rhs, solution, unconverged } = results().stages;
    expect(levels).toBeGreaterThan(5);
    expect(linksMismatch).toBe(0);
    expect(diagonal.max).toBeLessThanOrEqual(1e-5);
    expect(rhs.max).toBeLessThanOrEqual(1e-5);
    expect(solution.count).toBeGreaterThan(1500 * 3);
    expect(solution.max).toBeLessThanOrEqual(1e-5);
    expect(unconverged.max).toBeLessThanOrEqual(0.25 / 255);
  });

  it('composite matches and leaves untouched pixels as they were', () => {
    const c = results().stages.composite;
    expect(c.max).toBeLessThanOrEqual(1);
    expect(c.touchedMismatch).toBe(0);
    expect(c.untouchedChanged).toBe(0);
  });

  it('the whole WebGPU swapper matches the CPU swapper, and reuses its buffers', () => {
    const s = results().swapper;
    expect(s.repeatDiffers).toBe(false);
    expect(s.faceResourcesCreatedOnRepeat).toEqual([]);
    expect(s.touchedCount).toBeGreaterThan(2000);
    expect(s.max).toBeLessThanOrEqual(2);
    expect(s.within1).toBeGreaterThanOrEqual(0.999);
    expect(s.touchedMismatch).toBeLessThanOrEqual(s.touchedCount * 0.001);
    expect(s.untouchedChanged).toBe(0);
  });

  it('rejects with AbortError when aborted and GPU_LOST when the device is lost', () => {
    expect(results().failures.aborted).toBe('AbortError');
    expect(results().failures.lost).toBe('GPU_LOST');
  });
});
