import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import type { PreviewServer } from 'vite';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startPreview } from '../../scripts/lib/preview';
import { launchChromium } from './chromium';

let server: PreviewServer;
let baseUrl: string;
let browser: Browser;

beforeAll(async () => {
  ({ server, url: baseUrl } = await startPreview());
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function verdict(page: Page, path: string) {
  await page.goto(`${baseUrl}${path}`);
  await page.waitForFunction(() => document.getElementById('verify')?.dataset.state !== 'running', null, {
    timeout: 60_000,
  });
  return page.evaluate(() => ({
    state: document.getElementById('verify')?.dataset.state,
    verdict: document.getElementById('verdict')?.textContent,
    checked: Number(document.getElementById('checked')?.textContent),
    fingerprint: document.getElementById('fingerprint')?.textContent,
    problems: Array.from(document.querySelectorAll('#problems li'), (li) => li.textContent),
  }));
}

describe('verify.html', () => {
  test('verifies the Ed25519 signature and every file of the production build with WebCrypto', async () => {
    const manifest = JSON.parse(readFileSync('dist/build-manifest.json', 'utf8'));
    const page = await browser.newPage();
    const result = await verdict(page, '/verify.html');
    expect(result, result.verdict ?? '').toMatchObject({ state: 'ok', problems: [] });
    expect(result.checked).toBe(manifest.files.length);
    expect(result.fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);

    const pinned = await verdict(page, `/verify.html?key=${encodeURIComponent(manifest.publicKey)}`);
    expect(pinned.state).toBe('ok');
    const wrongKey = await verdict(page, `/verify.html?key=${'00'.repeat(32)}`);
    expect(wrongKey.state).toBe('failed');
    await page.close();
  });

  test('a file served with one byte changed is reported', async () => {
    const page = await browser.newPage();
    await page.route('**/index.html', async (route) => {
      const response = await route.fetch();
      const body = Buffer.from(await response.body());
      body[20] = body[20]! ^ 1;
      await route.fulfill({ response, body });
    });
    const result = await verdict(page, '/verify.html');
    expect(result.state).toBe('failed');
    expect(result.problems).toEqual([expect.stringMatching(/^index\.html: SHA-256 [0-9a-f]{64}, expected/)]);
    await page.close();
  });

  test('/.well-known/security.txt is served (RFC 9116 fields)', async () => {
    const response = await fetch(`${baseUrl}/.well-known/security.txt`);
    expect(response.status).toBe(200);
    const text = await response.text();
    for (const field of [
      'Contact: mailto:',
      'Expires: ',
      'Preferred-Languages: ',
      'Policy: https://',
      'Canonical: https://',
    ]) {
      expect(text).toContain(field);
    }
    const expires = Date.parse(/^Expires: (.+)$/m.exec(text)?.[1] ?? '');
    expect(expires).toBeGreaterThan(Date.now());
  });
});
