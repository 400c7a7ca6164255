import { signal } from '@preact/signals';
import type { z } from 'zod';
import { version as appVersion } from '../../../package.json';
import { DoppelError, toDoppelError } from '../../shared/errors';
import {
  checkoutKeyReply,
  checkoutReply,
  deactivateReply,
  licenseFileReply,
  nonceReply,
  trialReply,
  validateReply,
} from '../../shared/license/api-replies';
import type { DeviceProof } from '../../shared/license/device-proof';
import type { LicensePayload } from '../../shared/license/license-file-format';
import { verifyLicenseFile, type LicenseFileProblem } from '../../shared/license/verify-license-file';
import { plan } from '../state/entitlements';
import { thisDevice, type Device } from './device-key';
import { deviceLabel } from './device-label';
import { callLicenseApi, serverCode } from './license-api';
import { readStoredLicense, writeStoredLicense, type StoredLicense } from './license-db';
import { licensePublicKey } from './public-key';

/**
 * The app's license: the stored license file, verified offline with the bundled public key at
 * startup, refreshed through the server whenever it has a key and the network answers. It sets the
 * plan (src/app/state/entitlements.ts); a file that fails its check, or a license the server no
 * longer honours, leaves the app on Free with a notice saying why.
 */
export interface LicenseView {
  /** False until the stored file has been checked. */
  loaded: boolean;
  /** The verified license file's contents, or null on the Free plan. */
  license: LicensePayload | null;
  /** The license key this device uses (kept after a refusal, so it can be activated again). */
  key: string | null;
  /** Why the plan changed or what needs doing; null when there is nothing to say. */
  notice: string | null;
}

export const licenseView = signal<LicenseView>({ loaded: false, license: null, key: null, notice: null });

/** The request in flight, if any; the License screen disables its buttons meanwhile. */
export type LicenseAction = 'trial' | 'activate' | 'takeover' | 'deactivate' | 'buy' | 'checkout';
export const licenseBusy = signal<LicenseAction | null>(null);
/** What went wrong with the last request. */
export const licenseError = signal<DoppelError | null>(null);
/** The key another device holds, which this one may take over. */
export const takeoverOffer = signal<string | null>(null);

const storedFileProblems: Record<LicenseFileProblem, string> = {
  MALFORMED: 'The stored license file is damaged, so Doppel runs on the Free plan.',
  UNSUPPORTED_ALG:
    'The stored license file is of a kind this version cannot check; Doppel runs on the Free plan.',
  BAD_SIGNATURE:
    'The stored license file failed its signature check (it was changed, or signed by another server), so Doppel runs on the Free plan.',
  ISSUED_IN_FUTURE:
    "The stored license file was issued in the future: check this device's date and time. Doppel runs on the Free plan meanwhile.",
  EXPIRED:
    'The license file has expired (Doppel was offline too long), so Doppel runs on the Free plan until it reaches the license server again.',
  WRONG_DEVICE: 'The stored license file belongs to another device, so Doppel runs on the Free plan.',
};

function show(stored: StoredLicense, license: LicensePayload | null, notice: string | null): void {
  licenseView.value = { loaded: true, license, key: stored.key, notice };
  plan.value = license
    ? { name: license.plan, entitlements: license.entitlements }
    : { name: 'free', entitlements: ['image-swap'] };
}

/** Counts the writes of the stored license, so a refresh can tell that an action wrote meanwhile. */
let writes = 0;

async function keep(stored: StoredLicense, license: LicensePayload | null, notice: string | null) {
  writes += 1;
  await writeStoredLicense(stored);
  show(stored, license, notice);
}

/** Verifies a license file the server just sent; one that fails means app and server disagree on the key. */
async function verified(file: string, device: Device): Promise<LicensePayload> {
  const check = await verifyLicenseFile(file, { publicKey: await licensePublicKey(), deviceId: device.id });
  if (!check.ok) throw new DoppelError('LICENSE_FILE_REJECTED', undefined, { problem: check.problem });
  return check.license;
}

async function proof(device: Device): Promise<DeviceProof> {
  const { nonce } = await callLicenseApi('/nonce', nonceReply);
  return device.prove(nonce);
}

/**
 * Asks the server about the stored key; a refusal drops to Free, an unreachable server changes nothing.
 * An answer that arrives after an action (activate, takeover, deactivate, another refresh) stored a
 * license is dropped, since it is about the state read before that.
 */
async function refreshLicense(): Promise<void> {
  const writesBefore = writes;
  const stored = await readStoredLicense();
  if (!stored.key || licenseBusy.value) return;
  const device = await thisDevice();
  let answer: z.infer<typeof validateReply>;
  try {
    answer = await callLicenseApi('/licenses/validate', validateReply, {
      body: { key: stored.key, deviceId: device.id },
    });
  } catch {
    return;
  }
  const file = answer.valid ? answer.licenseFile : null;
  const license = file ? await verified(file, device) : null;
  if (writes !== writesBefore) return;
  const notice = answer.valid ? null : answer.message;
  await keep({ file, key: stored.key }, license, notice);
}

/** Checks the stored license file offline (startup), then refreshes it when there is a key. */
async function loadLicense(): Promise<void> {
  const stored = await readStoredLicense();
  if (stored.file) {
    const device = await thisDevice();
    const check = await verifyLicenseFile(stored.file, {
      publicKey: await licensePublicKey(),
      deviceId: device.id,
    });
    if (check.ok) {
      show(stored, check.license, null);
    } else {
      const notice =
        check.problem === 'EXPIRED' && !stored.key
          ? 'Your free trial has ended; buy Pro to keep everything, or go on with the Free plan.'
          : storedFileProblems[check.problem];
      await keep({ file: null, key: stored.key }, null, notice);
    }
  } else {
    show(stored, null, licenseView.value.notice);
  }
  await refreshLicense();
}

/** License files last 7 days; a page left open renews its file this often, not only at startup. */
const renewEveryMs = 6 * 60 * 60 * 1000;

/**
 * Starts licensing for this page: checks the stored license, and refreshes it whenever the browser
 * comes back online and every few hours. Returns the function that stops.
 */
export function startLicensing(): () => void {
  const failed = (error: unknown) => (licenseError.value = toDoppelError(error, 'DEVICE_KEY_UNAVAILABLE'));
  const refresh = () => void refreshLicense().catch(failed);
  void loadLicense().catch((error: unknown) => {
    failed(error);
    if (!licenseView.value.loaded) show({ file: null, key: null }, null, null);
  });
  window.addEventListener('online', refresh);
  const timer = setInterval(refresh, renewEveryMs);
  return () => {
    window.removeEventListener('online', refresh);
    clearInterval(timer);
  };
}

/** Runs one request at a time for the License screen, keeping its error for display. */
async function run(action: LicenseAction, work: () => Promise<void>): Promise<boolean> {
  if (licenseBusy.value) return false;
  licenseBusy.value = action;
  licenseError.value = null;
  try {
    await work();
    return true;
  } catch (error) {
    licenseError.value = toDoppelError(error, 'DEVICE_KEY_UNAVAILABLE');
    return false;
  } finally {
    licenseBusy.value = null;
  }
}

/** POST /api/trial: this device's one 7-day trial. */
export function startTrial(): Promise<boolean> {
  return run('trial', async () => {
    const device = await thisDevice();
    const { licenseFile } = await callLicenseApi('/trial', trialReply, {
      body: { deviceId: device.id, proof: await proof(device) },
    });
    await keep({ file: licenseFile, key: null }, await verified(licenseFile, device), null);
  });
}

async function bindKey(route: 'activate' | 'takeover', key: string): Promise<void> {
  const device = await thisDevice();
  const { licenseFile } = await callLicenseApi(`/licenses/${route}`, licenseFileReply, {
    body: { key, deviceId: device.id, label: deviceLabel(), appVersion, proof: await proof(device) },
  });
  await keep({ file: licenseFile, key }, await verified(licenseFile, device), null);
  takeoverOffer.value = null;
}

/** POST /api/licenses/activate; when another device holds the key, offers the takeover. */
export function activateKey(typed: string): Promise<boolean> {
  const key = typed.trim();
  takeoverOffer.value = null;
  return run('activate', async () => {
    try {
      await bindKey('activate', key);
    } catch (error) {
      if (serverCode(error) === 'TOO_MANY_MACHINES') takeoverOffer.value = key;
      throw error;
    }
  });
}

/** POST /api/licenses/takeover with the offered key: moves the license to this device. */
export function takeOver(): Promise<boolean> {
  const key = takeoverOffer.value;
  if (!key) return Promise.resolve(false);
  return run('takeover', () => bindKey('takeover', key));
}

/** POST /api/licenses/deactivate with this device's proof: frees the license for another device; this one returns to Free. */
export function deactivate(): Promise<boolean> {
  const { key } = licenseView.value;
  if (!key) return Promise.resolve(false);
  return run('deactivate', async () => {
    const device = await thisDevice();
    let notice = 'This device is deactivated: the license can now be activated on another device.';
    try {
      await callLicenseApi('/licenses/deactivate', deactivateReply, {
        body: { key, deviceId: device.id, proof: await proof(device) },
      });
    } catch (error) {
      if (serverCode(error) !== 'NOT_ACTIVATED') throw error;
      notice = (error as DoppelError).message;
    }
    await keep({ file: null, key: null }, null, notice);
  });
}

/** POST /api/checkout and on to Stripe's payment page. */
export function buyPro(): Promise<boolean> {
  return run('buy', async () => {
    const { url } = await callLicenseApi('/checkout', checkoutReply, { body: { plan: 'pro' } });
    location.href = url;
  });
}

const checkoutPollMs = 3000;
/** How long the return from Stripe waits for the payment before giving the License screen back. */
const checkoutWaitMs = 10 * 60 * 1000;

/**
 * Back from Stripe: asks GET /api/checkout/:id until the payment is confirmed (the webhook may come a
 * little later than the buyer), then activates the key it returns. Stops when `signal` aborts, and
 * with CHECKOUT_NOT_CONFIRMED after 10 minutes of waiting (reloading the page waits again).
 */
export function completeCheckout(sessionId: string, signal: AbortSignal): Promise<boolean> {
  return run('checkout', async () => {
    const path = `/checkout/${encodeURIComponent(sessionId)}`;
    const deadline = Date.now() + checkoutWaitMs;
    for (;;) {
      try {
        const { key } = await callLicenseApi(path, checkoutKeyReply, { method: 'GET', signal });
        // Shown in the key form too, in case activating it fails.
        licenseView.value = { ...licenseView.value, key };
        await bindKey('activate', key);
        return;
      } catch (error) {
        if (signal.aborted) return;
        if (serverCode(error) !== 'CHECKOUT_PENDING') throw error;
      }
      if (Date.now() >= deadline) throw new DoppelError('CHECKOUT_NOT_CONFIRMED');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, checkoutPollMs);
        signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
      });
      if (signal.aborted) return;
    }
  });
}
