import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumArgs } from './chromium';
import { openAppSession, slow, type AppSession } from './ui';

/**
 * The system check screen (#/check) of the production build in Chromium (SwiftShader WebGPU, the
 * preview server's cross-origin isolation): it measures this browser and the engine's speed on the
 * bundled photo, reports a missing or broken API as missing, and copies a report without
 * identifiers or media. The errors that depend on the browser link to it.
 */

let session: AppSession;

beforeAll(async () => {
  session = await openAppSession();
});

afterAll(async () => {
  await session?.close();
});

/** Opens the check and waits for every probe, the speed probe included. */
async function openCheck(page: Page): Promise<Record<string, unknown>> {
  await page.goto(`${session.baseUrl}/?backend=wasm#/check`);
  await page.locator('[data-testid="check-verdicts"][data-speed="done"]').waitFor(slow);
  return JSON.parse((await page.getByTestId('check-report').textContent())!) as Record<string, unknown>;
}

describe('System check (#/check)', () => {
  it('measures WebGPU, threads, WASM SIMD, WebCodecs, storage and the camera; copies the report', async () => {
    const { page, context } = session;
    const report = await openCheck(page);
    expect(Object.keys(report)).toEqual([
      'doppelSystemCheck',
      'gpu',
      'threads',
      'codecs',
      'storage',
      'device',
      'speed',
    ]);
    const speed = report.speed as Record<string, number>;
    expect(speed).toMatchObject({ backend: 'wasm' });
    for (const figure of ['photoMs', 'video720Fps', 'liveFps'] as const)
      expect(speed[figure]).toBeGreaterThan(0);
    expect(report.gpu).toMatchObject({
      architecture: 'swiftshader',
      features: { 'shader-f16': expect.any(Boolean), 'timestamp-query': expect.any(Boolean) },
      limits: { maxBufferSize: expect.any(Number), maxStorageBufferBindingSize: expect.any(Number) },
    });
    expect(report.threads).toMatchObject({
      crossOriginIsolated: true,
      sharedArrayBuffer: true,
      wasmSimd: true,
    });
    expect(report.codecs).toMatchObject({
      VP9: { encode: true, decode: true },
      'H.264': { decode: expect.any(Boolean) },
      AV1: { decode: expect.any(Boolean) },
    });
    expect(report.storage).toMatchObject({ quotaBytes: expect.any(Number), persisted: expect.any(Boolean) });
    expect(report.device).toMatchObject({ camera: expect.any(Boolean) });
    const text = JSON.stringify(report);
    for (const identifier of ['description', 'deviceId', 'groupId', 'label', 'userAgent', 'Mozilla'])
      expect(text).not.toContain(identifier);
    // No media: no data URL, no run of base64 as long as even a tiny picture's.
    expect(text).not.toContain('data:');
    expect(text).not.toMatch(/[A-Za-z0-9+/=]{120}/);
    const verdicts = await page.getByTestId('check-verdicts').locator('li').allTextContents();
    expect(verdicts.map((v) => v.split(':')[0])).toEqual(['Photos', 'Video', 'Live', 'Storage']);
    expect(verdicts[0]).toMatch(/^Photos: ~\d+ ms for a 640×480 photo\./);
    expect(verdicts[0]).toContain('software only');
    expect(verdicts[1]).toMatch(/^Video: 720p: ~\d+(\.\d)? fps/);
    expect(verdicts[1]).toContain('WebM (VP9)');
    expect(verdicts[2]).toMatch(/^Live: ~\d+(\.\d)? fps, (not )?real time here\./);

    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: session.baseUrl });
    await page.getByTestId('check-copy').click();
    await page.getByText('Copied.').waitFor();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(JSON.parse(copied)).toEqual(report);
    expect(session.problems).toEqual([]);
  });

  it('never throws: a missing or failing API is reported as missing', async () => {
    let context: BrowserContext | undefined;
    try {
      context = await session.browser.newContext();
      await context.addInitScript(() => {
        localStorage.setItem('doppel.consent', 'yes');
        Object.defineProperty(navigator.gpu, 'requestAdapter', {
          value: () => Promise.reject(new Error('adapter exploded')),
        });
        Object.defineProperty(window, 'VideoEncoder', { value: undefined });
        Object.defineProperty(VideoDecoder, 'isConfigSupported', {
          value: () => {
            throw new Error('decoder exploded');
          },
        });
        Object.defineProperty(navigator, 'mediaDevices', { value: undefined });
        // The bundled photo is read with fetch: the speed probe fails with it.
        Object.defineProperty(window, 'fetch', { value: () => Promise.reject(new Error('fetch exploded')) });
      });
      const page = await context.newPage();
      const report = await openCheck(page);
      expect(report.gpu).toEqual({ missing: 'adapter exploded' });
      expect(report.codecs).toMatchObject({
        VP9: { encode: { missing: 'no WebCodecs VideoEncoder' }, decode: { missing: 'decoder exploded' } },
      });
      expect(report.device).toMatchObject({ camera: { missing: 'no MediaDevices' } });
      expect(report.speed).toEqual({ missing: 'fetch exploded' });
      const verdicts = await page.getByTestId('check-verdicts').locator('li').allTextContents();
      expect(verdicts[0]).toContain('Speed unknown: fetch exploded.');
      expect(verdicts[1]).toContain('no video output here');
      expect(verdicts[2]).toContain('Live needs a camera: no MediaDevices');
    } finally {
      await context?.close();
    }
  });

  it('is linked from an error that depends on this browser: WebGPU chosen where there is none', async () => {
    const noWebGpu = chromiumArgs.filter((arg) => !/webgpu|Vulkan/i.test(arg));
    const other = await openAppSession({ launch: { args: noWebGpu } });
    try {
      const { page } = other;
      await page.goto(`${other.baseUrl}/?backend=webgpu#/swap`);
      const error = page.locator('[data-testid="error"][data-code="WEBGPU_UNAVAILABLE"]').first();
      await error.waitFor(slow);
      const link = error.getByTestId('error-check-link');
      expect(await link.getAttribute('href')).toBe('#/check');
      await link.click();
      await page.locator('[data-screen="check"]:not([hidden])').waitFor();
      expect(new URL(page.url()).hash).toBe('#/check');
      expect(other.problems).toEqual([]);
    } finally {
      await other.close();
    }
  });
});
