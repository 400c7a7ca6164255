import { describe, expect, it } from 'vitest';
import { pageCheck } from './page-checks';

/**
 * The neural engine's WGSL kernels (crop/normalise, depth-to-space merge, occlusion/region masks,
 * box-mask and model-mask paste-back) against their TypeScript references in real Chromium on
 * SwiftShader's WebGPU, each reference run on the GPU's own inputs (a 200x200 frame, the GPU's crops
 * and masks read back; the masker outputs are synthetic: a 256 XSeg map with an occluding blob, a
 * 19 x 512 x 512 BiSeNet logit stack with face parts and noise).
 *
 * Tolerances (float32 on the GPU vs float64 in the reference; measured differences, at the time of
 * writing, in brackets): crop <= 1e-5 for replicate, zero border, step 2 phase (1, 0), XSeg's
 * 256 NHWC BGR x/255, and BiSeNet's 512 per-channel mean/std [1.0e-6, 6e-8, 9e-7, 9e-7, 3.2e-6];
 * merge exactly equal to the reference on the GPU's tiles [0] and to a plain 256-px crop of the same
 * grid [0]; masks <= 1e-5 [occlusion 6.0e-7, region 4.8e-7]; paste (swap: 128 px, blur 0.3; restore:
 * the merged 256 px in -1..1, blur 0.2, uneven padding, amount 0.8; each again under a model mask:
 * the 256 occlusion mask over the swap, the 512 region mask over the restore; the swap under the
 * region mask, and under both masks at once) bytes differ by at most 1 [0; 1; 0 or 1; 0; 1; 1] on at
 * most 0.1% of touched channels [0; 1 byte of ~36,000; 0 or 1; 0; 1; 1], pixels whose reference mask
 * (min of box and model masks, times amount) is <= 0 equal the input byte for byte [0 changed, of
 * which 2,070, 7,454, 8,867 and 10,912 are inside the box but zeroed by the model masks: both masks
 * zero more than either alone], touched equal except where the mask is within 1e-6 of 0 [0 differ].
 * The same holds for the pastes under two hands' holes (the swap, the swap under the occlusion mask,
 * the restore): polygons in frame pixels, each min'd in as 0 inside and a ramp of 5 px outside.
 */
describe('neural engine kernels on WebGPU (SwiftShader)', () => {
  const results = pageCheck('/tests/browser/kernels/neural.html', 'runNeuralKernelChecks');

  it('runs on the software adapter without WebGPU validation errors', () => {
    expect(results().adapter.isFallbackAdapter).toBe(true);
    expect(results().gpuErrors).toEqual([]);
  });

  it('crop matches the bilinear reference (replicate, zero border, space-to-depth phase, NHWC/BGR, per channel)', () => {
    expect(results().crop.replicate).toBeLessThanOrEqual(1e-5);
    expect(results().crop.zero).toBeLessThanOrEqual(1e-5);
    expect(results().crop.step2).toBeLessThanOrEqual(1e-5);
    expect(results().crop.nhwcBgr).toBeLessThanOrEqual(1e-5);
    expect(results().crop.perChannel).toBeLessThanOrEqual(1e-5);
  });

  it('occlusion and region masks match their references', () => {
    const { masks } = results();
    expect(masks.occlusion).toBeLessThanOrEqual(1e-5);
    expect(masks.region).toBeLessThanOrEqual(1e-5);
    // Both masks have ones and (clamped) zeros in quantity, so the clamps are exercised.
    for (const count of [masks.occlusionZeros, masks.occlusionOnes])
      expect(count).toBeGreaterThan(256 * 256 * 0.05);
    for (const count of [masks.regionZeros, masks.regionOnes])
      expect(count).toBeGreaterThan(512 * 512 * 0.05);
  });

  it('merge re-interleaves the tiles exactly', () => {
    expect(results().merge.vsReference).toBe(0);
    expect(results().merge.vsPlainCrop).toBe(0);
  });

  it.each([
    'swap',
    'restore',
    'swapOccluded',
    'restoreRegion',
    'swapRegion',
    'swapBoth',
    'swapHands',
    'swapHandsOccluded',
    'restoreHands',
  ] as const)('paste (%s) matches the reference and leaves unmasked pixels', (name) => {
    const paste = results()[name];
    expect(paste.touchedCount).toBeGreaterThan(3000);
    expect(paste.changed).toBeGreaterThan(paste.touchedCount / 2);
    expect(paste.max).toBeLessThanOrEqual(1);
    expect(paste.differing).toBeLessThanOrEqual(paste.touchedCount * 3 * 0.001);
    expect(paste.unmaskedChanged).toBe(0);
    expect(paste.touchedMismatch).toBe(0);
  });

  it.each(['swapOccluded', 'restoreRegion', 'swapRegion'] as const)(
    'paste (%s) keeps pixels the model mask zeroes',
    (name) => {
      expect(results()[name].maskedOut).toBeGreaterThan(300);
      expect(results()[name].touchedCount).toBeLessThan(
        results()[name === 'restoreRegion' ? 'restore' : 'swap'].touchedCount,
      );
    },
  );

  it('paste keeps the frame inside the hands, under the box mask alone and with a model mask', () => {
    const { swap, swapHands, swapOccluded, swapHandsOccluded, restore, restoreHands } = results();
    expect(swapHands.handsOut).toBeGreaterThan(1000);
    expect(restoreHands.handsOut).toBeGreaterThan(300);
    expect(swapHands.touchedCount).toBeLessThan(swap.touchedCount - 1000);
    expect(restoreHands.touchedCount).toBeLessThan(restore.touchedCount - 300);
    expect(swapHandsOccluded.touchedCount).toBeLessThan(
      Math.min(swapHands.touchedCount, swapOccluded.touchedCount) - 300,
    );
  });

  it('paste under the occlusion and the region mask at once keeps what either zeroes', () => {
    const { swapOccluded, swapRegion, swapBoth } = results();
    for (const one of [swapOccluded, swapRegion]) {
      expect(swapBoth.maskedOut).toBeGreaterThan(one.maskedOut + 300);
      expect(swapBoth.touchedCount).toBeLessThan(one.touchedCount - 300);
    }
  });
});
