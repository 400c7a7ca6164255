import { deviceLabel } from './device-label';
import { ActionButton } from './ActionButton';
import { deactivate, licenseView } from './license-state';

/** The key with all but its last group hidden. */
const maskedKey = (key: string) => `••••-${key.replace(/[\s-]/g, '').slice(-4).toUpperCase()}`;

/** This device's activation of the license, with Deactivate. */
export function ThisDevice() {
  const { key, license } = licenseView.value;
  if (!key || !license) return null;
  return (
    <section class="license-part" aria-labelledby="this-device-title">
      <h3 id="this-device-title">This device</h3>
      <p data-testid="this-device">
        License {maskedKey(key)} is active on this device ({deviceLabel()}).
      </p>
      <ActionButton
        action="deactivate"
        label="Deactivate this device"
        busyLabel="Deactivating…"
        onPress={deactivate}
        testId="deactivate-button"
      />
      <p class="hint">
        Deactivating frees the license for another device; this one goes back to the Free plan.
      </p>
    </section>
  );
}
