import { describe, expect, it } from 'vitest';
import { pageCheck } from './page-checks';

/**
 * Frames that stay on the GPU (src/gpu/resident-frames.ts), in real Chromium on SwiftShader's
 * WebGPU: a frame is loaded, its face-model inputs are resampled and two faces are swapped into it
 * with no GPU buffer read back, then it is presented as a bitmap, which on this software adapter
 * reads the frame back once (its WebGPU canvas cannot present here); the result matches the CPU swapper on
 * the same pixels (the tolerance of the whole-swapper check in kernels.test.ts), a frame presented
 * without a swap comes back byte for byte, and the face inputs match their TypeScript twin
 * (float32 vs float64; measured at the time of writing: 2e-7).
 */
describe('GPU-resident frames (SwiftShader)', () => {
  const results = pageCheck('/tests/browser/kernels/frames.html', 'runFrameChecks');

  it('loads, resamples and swaps with no readback; presents with one on a software adapter', () => {
    expect(results().adapter.isFallbackAdapter).toBe(true);
    expect(results().readbacks).toEqual({ resident: 0, present: 1 });
  });

  it('presents the frame unchanged when nothing is swapped', () => {
    expect(results().roundTripMax).toBe(0);
  });

  it('presents the swap the CPU swapper makes', () => {
    expect(results().changed).toBeGreaterThan(2000);
    expect(results().swapMax).toBeLessThanOrEqual(2);
  });

  it('resamples the face models inputs as the reference does, black outside the image', () => {
    const { inputs } = results();
    expect(inputs.length).toBe(3 * 48 * 48 * 3);
    expect(inputs.max).toBeLessThanOrEqual(1e-4);
    expect(inputs.blackCorner).toBe(-1);
  });
});
