import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPreview, type Preview } from '../../scripts/lib/preview';
import { createLicense } from '../../server/store/licenses';
import { LICENSE_MESSAGES } from '../../server/licensing/license-messages';
import { createLicenseForSession, setStatusByPaymentIntent } from '../../server/store/stripe-licenses';
import { licenseKeyForSession } from '../../server/stripe/session-license-key';
import { licenseDbName, type StoredLicense } from '../../src/app/license/license-db';
import { bytesToBase64, base64ToBytes, utf8 } from '../../src/shared/bytes';
import { armour, unarmour } from '../../src/shared/license/license-file-format';
import { launchChromium } from './chromium';
import { appPath, slow, startTrial } from './ui';

/**
 * Licenses in the production app against the real license API (scripts/lib/preview.ts serves it on
 * the app's origin, on in-memory PGlite): Free with the neural engine locked, the trial, a key made
 * the way `npm run license:issue` makes one, the plan kept offline, a takeover from a second device
 * (a second browser context) that drops the first to Free, deactivation, Buy without Stripe, the
 * return from Stripe Checkout (and giving up on a payment never confirmed), a refund that revokes the license, and stored license files that were edited or belong to another device.
 */

let preview: Preview;
let browser: Browser;
const contexts: BrowserContext[] = [];
let first: Page;
let second: Page;
let key: string;
let licenseId: string;
let trialFile: string;

/** A new browser profile: another device, with its own IndexedDB and so its own device key. */
async function openDevice(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  contexts.push(context);
  await context.addInitScript(() => localStorage.setItem('doppel.consent', 'yes'));
  const page = await context.newPage();
  await page.goto(`${preview.url}${appPath}`);
  return page;
}

const licenseScreen = (page: Page) => page.locator('[data-screen="license"]');

async function openLicenseScreen(page: Page): Promise<void> {
  await page.getByRole('link', { name: 'License', exact: true }).click();
  await licenseScreen(page).locator('[data-testid="license-plan"]:not([data-plan="loading"])').waitFor(slow);
}

/** The plan the License screen shows once it has checked the stored license. */
async function shownPlan(page: Page): Promise<string | null> {
  const plan = licenseScreen(page).getByTestId('license-plan');
  await licenseScreen(page).locator('[data-testid="license-plan"]:not([data-plan="loading"])').waitFor(slow);
  return plan.getAttribute('data-plan');
}

const errorShown = (page: Page) => licenseScreen(page).getByTestId('error');
const noticeShown = (page: Page) => licenseScreen(page).getByTestId('license-notice').textContent();

async function enterKey(page: Page): Promise<void> {
  await licenseScreen(page).getByLabel('License key').fill(key);
  await licenseScreen(page).getByTestId('activate-button').click();
}

/** Reads or replaces the license record the app keeps in IndexedDB (src/app/license/license-db.ts). */
function storedLicense(page: Page, replacement?: StoredLicense): Promise<StoredLicense | undefined> {
  return page.evaluate(
    ([name, value]) =>
      new Promise<StoredLicense | undefined>((resolve, reject) => {
        const open = indexedDB.open(name);
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const store = open.result.transaction('license', 'readwrite').objectStore('license');
          const request = value ? store.put(value, 'current') : store.get('current');
          request.onerror = () => reject(request.error);
          request.onsuccess = () => {
            open.result.close();
            resolve(value ? undefined : (request.result as StoredLicense | undefined));
          };
        };
      }),
    [licenseDbName, replacement] as const,
  );
}

/** The same license file with its expiry a year later and the signature left as it was. */
function withLaterExpiry(file: string): string {
  const envelope = JSON.parse(new TextDecoder().decode(base64ToBytes(unarmour(file)!))) as { enc: string };
  const payload = JSON.parse(new TextDecoder().decode(base64ToBytes(envelope.enc))) as { expiry: string };
  payload.expiry = new Date(Date.parse(payload.expiry) + 365 * 86_400_000).toISOString();
  const edited = { ...envelope, enc: bytesToBase64(utf8(JSON.stringify(payload))) };
  return armour(bytesToBase64(utf8(JSON.stringify(edited))));
}

async function activations(licenseId: string): Promise<number> {
  const db = await preview.license.database();
  const rows = await db
    .selectFrom('activations')
    .select('device_hash')
    .where('license_id', '=', licenseId)
    .execute();
  return rows.length;
}

beforeAll(async () => {
  preview = await startPreview();
  browser = await launchChromium();
});

afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await preview?.server.close();
});

describe('licenses in the app', () => {
  it('starts on Free with the neural engine, video and live camera visible but locked, saying why', async () => {
    first = await openDevice();
    const choice = first.getByTestId('engine-choice');
    await choice.getByTestId('lock-reason').waitFor(slow);
    expect(await choice.getByTestId('lock-reason').textContent()).toMatch(/needs the free trial or Pro/);
    expect(await first.getByTestId('engine-neural').isDisabled()).toBe(true);
    expect(await first.getByTestId('engine-neural').getAttribute('aria-describedby')).toBe('neural-locked');
    for (const [screen, feature] of [
      ['video', 'video'],
      ['live', 'live-camera'],
    ]) {
      const lock = first.locator(
        `[data-screen="${screen}"] [data-testid="feature-lock"][data-feature="${feature}"]`,
      );
      expect(await lock.count()).toBe(1);
      expect(await lock.locator('fieldset[disabled][inert]').count()).toBe(1);
    }
    await openLicenseScreen(first);
    expect(await shownPlan(first)).toBe('free');
    expect(await licenseScreen(first).getByTestId('license-offline').textContent()).toMatch(/no time limit/);
  });

  it('gets the 7-day trial, which unlocks them', async () => {
    await startTrial(first);
    expect(await shownPlan(first)).toBe('trial');
    expect(await licenseScreen(first).getByTestId('license-days-left').getAttribute('data-days')).toBe('7');
    expect(await licenseScreen(first).getByTestId('license-offline').textContent()).toMatch(
      /works offline until .+ when the trial ends/,
    );
    trialFile = (await storedLicense(first))!.file!;
    expect(trialFile).toMatch(/^-----BEGIN LICENSE FILE-----\n/);
    await first.getByRole('link', { name: 'Swap', exact: true }).click();
    expect(await first.getByTestId('engine-choice').getByTestId('lock-reason').count()).toBe(0);
    expect(await first.getByTestId('feature-lock').count()).toBe(0);
  });

  it('activates a key from license:issue, and stays Pro offline after a reload', async () => {
    const issued = await createLicense(await preview.license.database(), {
      plan: 'pro',
      email: 'buyer@example.com',
      expiresAt: null,
    });
    ({ key, id: licenseId } = issued);
    await openLicenseScreen(first);
    await enterKey(first);
    await licenseScreen(first).locator('[data-plan="pro"]').waitFor(slow);
    expect(await licenseScreen(first).getByTestId('this-device').textContent()).toContain(key.slice(-4));
    expect(await activations(licenseId)).toBe(1);

    // Offline: the service worker serves the app, the validate request fails, the plan stays.
    await first.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, slow);
    await first.context().setOffline(true);
    await first.reload();
    await openLicenseScreen(first);
    expect(await shownPlan(first)).toBe('pro');
    expect(await licenseScreen(first).getByTestId('license-offline').textContent()).toMatch(
      /works offline until/,
    );
    await first.context().setOffline(false);
  });

  it('offers a second device the takeover; after it the first device drops to Free and must wait to take it back', async () => {
    second = await openDevice();
    await openLicenseScreen(second);
    await enterKey(second);
    await licenseScreen(second).getByTestId('takeover-offer').waitFor(slow);
    expect(await errorShown(second).textContent()).toMatch(/Another device holds this license/);
    expect(await shownPlan(second)).toBe('free');
    await licenseScreen(second).getByRole('button', { name: 'Move the license to this device' }).click();
    await licenseScreen(second).locator('[data-plan="pro"]').waitFor(slow);
    expect(await licenseScreen(second).getByTestId('takeover-offer').count()).toBe(0);

    // The first device's next check (at startup) hears that the license moved.
    await first.reload();
    await openLicenseScreen(first);
    await licenseScreen(first).locator('[data-plan="free"]').waitFor(slow);
    expect(await noticeShown(first)).toMatch(/not active on this device/);
    expect(await licenseScreen(first).getByLabel('License key').inputValue()).toBe(key);
    // Taking it straight back is refused until 30 days have passed, with the date.
    await licenseScreen(first).getByTestId('activate-button').click();
    await licenseScreen(first).getByTestId('takeover-button').click();
    await licenseScreen(first).getByTestId('takeover-retry').waitFor(slow);
    expect(await errorShown(first).textContent()).toMatch(/can move again on \d{4}-\d{2}-\d{2}/);
    expect(await shownPlan(first)).toBe('free');
  });

  it('deactivates this device, freeing the license for another one', async () => {
    await licenseScreen(second).getByRole('button', { name: 'Deactivate this device' }).click();
    await licenseScreen(second).locator('[data-plan="free"]').waitFor(slow);
    expect(await noticeShown(second)).toMatch(/deactivated/);
    expect(await activations(licenseId)).toBe(0);

    await enterKey(first);
    await licenseScreen(first).locator('[data-plan="pro"]').waitFor(slow);
    expect(await activations(licenseId)).toBe(1);
  });

  it('says buying is not available when Buy is pressed on a server without Stripe, in user words only', async () => {
    const before = second.url();
    await licenseScreen(second).getByRole('button', { name: 'Buy Pro' }).click();
    await errorShown(second).waitFor(slow);
    const shown = await errorShown(second).textContent();
    expect(shown).toMatch(/Buying is not available on this server/);
    expect(shown).not.toMatch(/STRIPE|_KEY|_SECRET/);
    expect(second.url()).toBe(before);
  });

  it('applies the key of a paid Checkout Session on the way back from Stripe', async () => {
    const sessionId = 'cs_test_return';
    await second.goto('about:blank');
    await second.goto(`${preview.url}${appPath}#/license?checkout=${sessionId}`);
    await licenseScreen(second).getByTestId('checkout-status').waitFor(slow);
    expect(await licenseScreen(second).isVisible()).toBe(true);
    expect(await shownPlan(second)).toBe('free');
    // What the webhook does once Stripe reports the payment.
    const db = await preview.license.database();
    await db.transaction().execute((tx) =>
      createLicenseForSession(tx, {
        sessionId,
        paymentIntent: 'pi_test_return',
        email: 'buyer@example.com',
        key: licenseKeyForSession(preview.license.pepper, sessionId),
      }),
    );
    await licenseScreen(second).locator('[data-plan="pro"]').waitFor(slow);
    expect(new URL(second.url()).hash).toBe('#/license');
  });

  it('stops waiting for a payment still unconfirmed after 10 minutes, saying how to check again', async () => {
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    contexts.push(context);
    await context.addInitScript(() => localStorage.setItem('doppel.consent', 'yes'));
    const page = await context.newPage();
    await page.clock.install();
    await page.goto(`${preview.url}${appPath}#/license?checkout=cs_test_never_paid`);
    await licenseScreen(page).getByTestId('checkout-status').waitFor(slow);
    // The server keeps answering CHECKOUT_PENDING; the page's clock jumps past the wait.
    await page.clock.fastForward('10:01');
    await licenseScreen(page)
      .locator('[data-testid="error"][data-code="CHECKOUT_NOT_CONFIRMED"]')
      .waitFor(slow);
    expect(await errorShown(page).textContent()).toMatch(/reload this page to check again/);
    expect(await licenseScreen(page).getByTestId('checkout-status').count()).toBe(0);
    expect(await licenseScreen(page).getByTestId('buy-button').isDisabled()).toBe(false);
    expect(await shownPlan(page)).toBe('free');
  });

  it('drops to Free at the next check after a refund revokes the license, saying why', async () => {
    expect(await shownPlan(second)).toBe('pro');
    // What the webhook does on a full `charge.refunded` (server/stripe/handle-event.ts).
    const db = await preview.license.database();
    await db
      .transaction()
      .execute((tx) => setStatusByPaymentIntent(tx, 'pi_test_return', ['active', 'suspended'], 'revoked'));
    await second.reload();
    await openLicenseScreen(second);
    await licenseScreen(second).locator('[data-plan="free"]').waitFor(slow);
    expect(await noticeShown(second)).toBe(LICENSE_MESSAGES.REVOKED);
    expect((await storedLicense(second))!.file).toBeNull();
  });

  it('drops to Free with a reason when the stored license file was edited or is for another device', async () => {
    // The genuine trial file, put back, is accepted: the edits below are what is refused.
    await storedLicense(first, { file: trialFile, key: null });
    await first.reload();
    await openLicenseScreen(first);
    expect(await shownPlan(first)).toBe('trial');

    await storedLicense(first, { file: withLaterExpiry(trialFile), key: null });
    await first.reload();
    await openLicenseScreen(first);
    expect(await shownPlan(first)).toBe('free');
    expect(await noticeShown(first)).toMatch(/failed its signature check/);
    expect((await storedLicense(first))!.file).toBeNull();

    await storedLicense(second, { file: trialFile, key: null });
    await second.reload();
    await openLicenseScreen(second);
    expect(await shownPlan(second)).toBe('free');
    expect(await noticeShown(second)).toMatch(/belongs to another device/);
  });
});
