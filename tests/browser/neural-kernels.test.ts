import type { Browser } from 'playwright-core';
import type { ViteDevServer } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './chromium';
import { startDevServer } from './dev-server';
import type { NeuralKernelCheckResults } from './kernels/neural-kernel-checks';

/**
 * The neural engine's WGSL kernels (crop/normalise, depth-to-space merge, box-mask paste-back)
 * against their TypeScript references in real Chromium on SwiftShader's WebGPU, each reference run
 * on the GPU's own inputs (a 200x200 frame, the GPU's crops read back).
 *
 * Tolerances (float32 on the GPU vs float64 in the reference; measured differences, at the time of
 * writing, in brackets): crop on 0..1-scaled values <= 1e-5 for replicate, zero border, and step 2
 * phase (1, 0) [1.0e-6, 6e-8, 9e-7]; merge exactly equal to the reference on the GPU's tiles [0] and
 * to a plain 256-px crop of the same grid [0]; paste (swap: 128 px, blur 0.3; restore: the merged
 * 256 px in -1..1, blur 0.2, uneven padding, amount 0.8) bytes differ by at most 1 [0; 1] on at most
 * 0.1% of touched channels [0; 1 byte of ~36,000], pixels whose reference mask is <= 0 equal the
 * input byte for byte [0 changed], touched equal except where the mask is within 1e-6 of 0 [0 differ].
 */
describe('neural engine kernels on WebGPU (SwiftShader)', () => {
  let server: ViteDevServer;
  let browser: Browser;
  let results: NeuralKernelCheckResults;

  beforeAll(async () => {
    const dev = await startDevServer();
    server = dev.server;
    browser = await launchChromium();
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(`${dev.url}/tests/browser/kernels/neural.html`);
    await page.waitForFunction(() => typeof window.runNeuralKernelChecks === 'function', undefined, {
      timeout: 60_000,
    });
    results = await page.evaluate(() => window.runNeuralKernelChecks!());
    expect(errors).toEqual([]);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('runs on the software adapter without WebGPU validation errors', () => {
    expect(results.adapter.isFallbackAdapter).toBe(true);
    expect(results.gpuErrors).toEqual([]);
  });

  it('crop matches the bilinear reference (replicate, zero border, space-to-depth phase)', () => {
    expect(results.crop.replicate).toBeLessThanOrEqual(1e-5);
    expect(results.crop.zero).toBeLessThanOrEqual(1e-5);
    expect(results.crop.step2).toBeLessThanOrEqual(1e-5);
  });

  it('merge re-interleaves the tiles exactly', () => {
    expect(results.merge.vsReference).toBe(0);
    expect(results.merge.vsPlainCrop).toBe(0);
  });

  it.each(['swap', 'restore'] as const)(
    'paste (%s) matches the reference and leaves unmasked pixels',
    (name) => {
      const paste = results[name];
      expect(paste.touchedCount).toBeGreaterThan(3000);
      expect(paste.changed).toBeGreaterThan(paste.touchedCount / 2);
      expect(paste.max).toBeLessThanOrEqual(1);
      expect(paste.differing).toBeLessThanOrEqual(paste.touchedCount * 3 * 0.001);
      expect(paste.unmaskedChanged).toBe(0);
      expect(paste.touchedMismatch).toBe(0);
    },
  );
});
