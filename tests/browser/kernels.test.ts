import { describe, expect, it } from 'vitest';
import { pageCheck } from './page-checks';

/**
 * Each WGSL kernel of the mesh swap, and the whole WebGPU swapper, against the TypeScript reference
 * in real Chromium on SwiftShader's WebGPU. Each kernel's reference runs on the GPU's own inputs
 * (the previous stage read back), so differences are the kernel's alone.
 *
 * Tolerances (float32 on the GPU vs float64 in the reference; measured differences, at the time of
 * writing, in brackets): warp rgb <= 1e-5 where both cover the pixel [4e-7], coverage differs on
 * <= 0.5% of covered pixels [0]; mask <= 1e-5 [2e-7]; colour (low-frequency transfer, sigma 6.8 px):
 * horizontal blur, vertical blur + transfer on the GPU's own rows, and both passes together <= 1e-4
 * [2e-7, 3e-7, 3e-7]; Poisson right-hand side and solution <= 1e-5 [1e-7]; composite bytes differ by
 * at most 1 [0], touched exactly equal, untouched pixels equal the target byte for byte. Whole WebGPU
 * swapper vs CPU swapper (two overlapping faces, mouth and eyes kept): max diff <= 2/255 and
 * >= 99.9% of channels within 1/255 [1/255; 100%], touched differs on <= 0.1% of touched pixels [0],
 * untouched pixels equal the target.
 */
describe('mesh swap kernels on WebGPU (SwiftShader)', () => {
  const results = pageCheck('/tests/browser/kernels/index.html', 'runKernelChecks');

  it('runs on the software adapter', () => {
    expect(results().adapter.isFallbackAdapter).toBe(true);
  });

  it('warp matches the barycentric reference', () => {
    const { warp, covered, coverageMismatch } = results().stages;
    expect(covered).toBeGreaterThan(2000);
    expect(coverageMismatch).toBeLessThanOrEqual(covered * 0.005);
    expect(warp.count).toBeGreaterThan(covered * 3 * 0.99);
    expect(warp.max).toBeLessThanOrEqual(1e-5);
  });

  it('mask matches the polygon-distance reference', () => {
    expect(results().stages.domain).toBeGreaterThan(1500);
    expect(results().stages.mask.max).toBeLessThanOrEqual(1e-5);
  });

  it('colour transfer (horizontal blur, vertical blur and transfer) matches', () => {
    const { colourSigma, colourRows, guide, colour, guideCorrected } = results().stages;
    expect(colourSigma).toBeGreaterThan(5);
    expect(colourRows.max).toBeLessThanOrEqual(1e-4);
    expect(guide.max).toBeLessThanOrEqual(1e-4);
    expect(colour.max).toBeLessThanOrEqual(1e-4);
    expect(guideCorrected.max).toBeGreaterThan(0.05);
  });

  it('Poisson right-hand side and Jacobi iterations match', () => {
    expect(results().stages.rhs.max).toBeLessThanOrEqual(1e-5);
    expect(results().stages.solution.count).toBeGreaterThan(1500 * 3);
    expect(results().stages.solution.max).toBeLessThanOrEqual(1e-5);
  });

  it('composite matches and leaves untouched pixels as they were', () => {
    const c = results().stages.composite;
    expect(c.max).toBeLessThanOrEqual(1);
    expect(c.touchedMismatch).toBe(0);
    expect(c.untouchedChanged).toBe(0);
  });

  it('the whole WebGPU swapper matches the CPU swapper', () => {
    const s = results().swapper;
    expect(s.touchedCount).toBeGreaterThan(2000);
    expect(s.max).toBeLessThanOrEqual(2);
    expect(s.within1).toBeGreaterThanOrEqual(0.999);
    expect(s.touchedMismatch).toBeLessThanOrEqual(s.touchedCount * 0.001);
    expect(s.untouchedChanged).toBe(0);
  });

  it('rejects with AbortError when aborted and names device loss', () => {
    expect(results().failures.aborted).toBe('AbortError');
    expect(results().failures.lost).toMatch(/device was lost/);
  });
});
