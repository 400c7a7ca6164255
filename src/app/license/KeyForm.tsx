import { useEffect, useState } from 'preact/hooks';
import { ActionButton } from './ActionButton';
import {
  activateKey,
  licenseBusy,
  licenseError,
  licenseView,
  takeOver,
  takeoverOffer,
} from './license-state';
import { serverCode } from './license-api';

/** When a refused takeover may be tried again, as the server said. */
function retryDate(): string | null {
  const error = licenseError.value;
  if (serverCode(error) !== 'TAKEOVER_TOO_SOON' || typeof error?.details.retryAt !== 'string') return null;
  return new Date(error.details.retryAt).toLocaleString(undefined, { dateStyle: 'long', timeStyle: 'short' });
}

/** Entering a license key, and moving the license here when another device holds it. */
export function KeyForm() {
  const stored = licenseView.value.key;
  const [key, setKey] = useState(stored ?? '');
  useEffect(() => {
    if (stored) setKey(stored);
  }, [stored]);
  const busy = licenseBusy.value;
  const offer = takeoverOffer.value;
  const retry = retryDate();
  return (
    <section class="license-part" aria-labelledby="license-key-title">
      <h3 id="license-key-title">Have a key?</h3>
      <form
        class="key-form"
        onSubmit={(event) => {
          event.preventDefault();
          void activateKey(key);
        }}
      >
        <label for="license-key">License key</label>
        <input
          id="license-key"
          data-testid="license-key-input"
          value={key}
          onInput={(event) => setKey(event.currentTarget.value)}
          autocomplete="off"
          spellcheck={false}
          placeholder="XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX"
        />
        <button type="submit" disabled={busy !== null || key.trim() === ''} data-testid="activate-button">
          {busy === 'activate' ? 'Activating…' : 'Activate'}
        </button>
      </form>
      {offer && (
        <div class="takeover" data-testid="takeover-offer">
          <p>
            Another device holds this license. Move it here: the other device drops to the Free plan the next
            time it checks. A license can move this way once every 30 days.
          </p>
          <ActionButton
            action="takeover"
            label="Move the license to this device"
            busyLabel="Moving the license…"
            onPress={takeOver}
            testId="takeover-button"
          />
          {retry && (
            <p class="hint" data-testid="takeover-retry">
              It can move again on {retry}.
            </p>
          )}
        </div>
      )}
    </section>
  );
}
