import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPreview, type Preview } from '../../scripts/lib/preview';
import { sign } from 'node:crypto';
import { developmentSigningKey } from '../../scripts/license-public-key-plugin';
import { createLicense } from '../../server/store/licenses';
import { REPORTED_TABLES } from '../../server/transparency/tables';
import { bytesToBase64 } from '../../src/shared/bytes';
import { reportSigningInput, type TransparencyReply } from '../../src/shared/transparency/report-format';
import { launchChromium } from './chromium';
import { appPath, slow } from './ui';

/**
 * The Privacy screen's "What the license server keeps": the production app fetches the license
 * server's transparency chain (scripts/lib/preview.ts serves the real API on the app's origin),
 * verifies it with the key it bundles, and shows it; a report changed on the way is shown as failed,
 * with the reason.
 */

let preview: Preview;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  preview = await startPreview();
  browser = await launchChromium();
  const db = await preview.license.database();
  for (const email of ['a@example.com', 'b@example.com']) {
    await createLicense(db, { plan: 'pro', email, expiresAt: null });
  }
});

afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await preview?.server.close();
});

async function openPrivacy(options: { serviceWorkers?: 'allow' | 'block' } = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, ...options });
  contexts.push(context);
  await context.addInitScript(() => localStorage.setItem('doppel.consent', 'yes'));
  return context.newPage();
}

const status = (page: Page) => page.getByTestId('transparency-status');

describe('the transparency report on the Privacy screen', () => {
  it('shows the verified report: every table with its rows and retention, and that it covers the license server only', async () => {
    const page = await openPrivacy();
    await page.goto(`${preview.url}${appPath}#/privacy`);
    await page.locator('[data-testid="transparency-status"]:not([data-state="loading"])').waitFor(slow);
    expect(await status(page).getAttribute('data-state')).toBe('verified');
    expect(await status(page).textContent()).toContain("signed with the license server's key");
    expect(await page.getByTestId('transparency-scope').textContent()).toContain('never reach any server');
    const rows = page.getByTestId('transparency-table');
    expect(await rows.evaluateAll((all) => all.map((row) => row.getAttribute('data-table')))).toEqual(
      REPORTED_TABLES.map((table) => table.name),
    );
    const licenses = page.locator('[data-testid="transparency-table"][data-table="licenses"] td');
    expect(await licenses.nth(1).textContent()).toBe('2');
    expect(await licenses.nth(3).textContent()).toContain('Kept for the life of the license');
    expect(await page.getByTestId('transparency-build').textContent()).toContain(
      'is the one you are running',
    );
  });

  it('shows a report changed on the way as failed, with the reason', async () => {
    // No service worker, so that the page's own request is the one intercepted.
    const page = await openPrivacy({ serviceWorkers: 'block' });
    await page.route('**/api/transparency*', async (route) => {
      const response = await route.fetch();
      const body = (await response.text()).replace(/\\"rows\\":2/, '\\"rows\\":0');
      await route.fulfill({ response, body });
    });
    await page.goto(`${preview.url}${appPath}#/privacy`);
    await page.locator('[data-testid="transparency-status"][data-state="failed"]').waitFor(slow);
    expect(await status(page).textContent()).toContain(
      "Verification failed: report 1 does not carry the license server's signature: it was changed after signing",
    );
    expect(await page.getByTestId('transparency-report').count()).toBe(0);
  });

  it('shows a history rewritten since this browser last checked as failed, even though it is signed', async () => {
    const page = await openPrivacy({ serviceWorkers: 'block' });
    await page.goto(`${preview.url}${appPath}#/privacy`);
    await page.locator('[data-testid="transparency-status"][data-state="verified"]').waitFor(slow);

    // The key's holder rewrites report 1 (no licenses) and signs it again.
    const signingKey = developmentSigningKey();
    await page.route('**/api/transparency*', async (route) => {
      const response = await route.fetch();
      const reply = (await response.json()) as TransparencyReply;
      const reports = reply.reports.map((signed) => {
        const report = signed.report.replace(/"rows":2/, '"rows":0');
        return { report, signature: bytesToBase64(sign(null, reportSigningInput(report), signingKey)) };
      });
      await route.fulfill({ response, json: { ...reply, reports } });
    });
    await page.getByTestId('transparency').getByRole('button', { name: 'Check again' }).click();
    await page.locator('[data-testid="transparency-status"][data-state="failed"]').waitFor(slow);
    expect(await status(page).textContent()).toContain(
      "Verification failed: report 1 is not the one verified before: the server's earlier reports were rewritten",
    );

    await page.getByTestId('transparency-forget').click();
    await page.locator('[data-testid="transparency-status"][data-state="verified"]').waitFor(slow);
    const licenses = page.locator('[data-testid="transparency-table"][data-table="licenses"] td');
    expect(await licenses.nth(1).textContent()).toBe('0');
  });
});
