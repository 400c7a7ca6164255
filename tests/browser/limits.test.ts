import { imageSize } from 'image-size';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AutomationSession } from '../../scripts/lib/automation';
import { smallestFace } from '../../scripts/lib/limits-sweeps';
import type { LimitsData } from '../../src/app/limits/limits-data';
import limits from '../../src/app/limits/limits.json';
import { seriousA11yProblems, sidewaysOverflow } from './layout-checks';
import { openAppSession, slow, type AppSession } from './ui';

/**
 * The measured limits: the #/limits page of the production build in Chromium shows every limit of
 * the generated src/app/limits/limits.json with its figure and its picture, and the sweep code run
 * through the automation page finds a smallest face within its range.
 */

const data = limits as LimitsData;

describe('Measured limits (#/limits)', () => {
  let session: AppSession;

  beforeAll(async () => {
    session = await openAppSession();
  });

  afterAll(async () => {
    await session?.close();
  });

  it('shows each limit with its number and its picture, decoded', async () => {
    const { page } = session;
    await page.goto(`${session.baseUrl}/?backend=wasm#/limits`);
    const figures = page.getByTestId('limit');
    await figures.first().waitFor(slow);
    expect(await figures.count()).toBe(data.limits.length);
    expect(data.limits.length).toBeGreaterThanOrEqual(6);
    for (const limit of data.limits) {
      const figure = page.locator(`[data-testid="limit"][data-limit="${limit.id}"]`);
      const value = await figure.getByTestId('limit-value').textContent();
      expect(Number(value)).toBe(limit.value);
      expect(await figure.textContent()).toContain(limit.summary);
      const size = await figure.locator('img').evaluate(async (img: HTMLImageElement) => {
        await img.decode();
        return { width: img.naturalWidth, height: img.naturalHeight };
      });
      expect(Math.max(size.width, size.height), limit.id).toBe(240);
      expect(Math.min(size.width, size.height), limit.id).toBeGreaterThan(0);
    }
    expect(await page.getByTestId('limits-measured').textContent()).toContain(data.fingerprint.slice(0, 12));
    expect(session.problems).toEqual([]);
  });

  it('has no serious accessibility problem and nothing overflows sideways at 390 px', async () => {
    const { page } = session;
    expect(await seriousA11yProblems(page)).toEqual([]);
    await page.setViewportSize({ width: 390, height: 844 });
    const overflow = await sidewaysOverflow(page);
    expect(overflow).toEqual({ pageWidth: overflow.width, width: overflow.width, elements: [] });
  });
});

describe('The limits sweeps', () => {
  let automation: AutomationSession;

  beforeAll(async () => {
    automation = await AutomationSession.start('wasm');
  });

  afterAll(async () => {
    await automation?.close();
  });

  it('finds the smallest face of a demo photo within the sweep, with its picture', async () => {
    const sweep = await smallestFace(automation, 2, { from: 160, to: 8, step: 24 });
    const { limit } = sweep;
    expect(limit.id).toBe('smallest-face');
    expect(limit.value).toBeGreaterThanOrEqual(8);
    expect(limit.value).toBeLessThanOrEqual(160);
    expect(limit.summary).toContain(`${limit.value} pixels wide`);
    expect(sweep.probes).toBeGreaterThanOrEqual(3);
    const picture = Buffer.from(sweep.picture, 'base64');
    expect(imageSize(picture)).toMatchObject({ type: 'jpg', width: 240, height: 240 });
  });
});
