import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAppSession, slow, type AppSession } from './ui';

/**
 * The system check screen (#/check) of the production build in Chromium (SwiftShader WebGPU, the
 * preview server's cross-origin isolation): it measures this browser, reports a missing or broken
 * API as missing, and copies a report without identifiers.
 */

let session: AppSession;

beforeAll(async () => {
  session = await openAppSession();
});

afterAll(async () => {
  await session?.close();
});

async function openCheck(page: Page): Promise<Record<string, unknown>> {
  await page.goto(`${session.baseUrl}/?backend=wasm#/check`);
  await page.getByTestId('check-verdicts').waitFor(slow);
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
    ]);
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
    const verdicts = await page.getByTestId('check-verdicts').locator('li').allTextContents();
    expect(verdicts.map((v) => v.split(':')[0])).toEqual(['Photos', 'Video', 'Live', 'Storage']);
    expect(verdicts[0]).toContain('software only');
    expect(verdicts[1]).toContain('WebM (VP9)');

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
      });
      const page = await context.newPage();
      const report = await openCheck(page);
      expect(report.gpu).toEqual({ missing: 'adapter exploded' });
      expect(report.codecs).toMatchObject({
        VP9: { encode: { missing: 'no WebCodecs VideoEncoder' }, decode: { missing: 'decoder exploded' } },
      });
      expect(report.device).toMatchObject({ camera: { missing: 'no MediaDevices' } });
      const verdicts = await page.getByTestId('check-verdicts').locator('li').allTextContents();
      expect(verdicts[1]).toContain('no video output here');
      expect(verdicts[2]).toContain('Live needs a camera: no MediaDevices');
    } finally {
      await context?.close();
    }
  });
});
