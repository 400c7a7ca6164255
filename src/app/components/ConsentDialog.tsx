import { useEffect, useRef, useState } from 'preact/hooks';
import { acceptConsent } from '../state/consent';

/** First-run confirmation; it cannot be dismissed without confirming. */
export function ConsentDialog() {
  const dialog = useRef<HTMLDialogElement>(null);
  const [confirmed, setConfirmed] = useState(false);

  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
    return () => element?.close();
  }, []);

  const onSubmit = (event: SubmitEvent) => {
    event.preventDefault();
    if (confirmed) acceptConsent();
  };

  return (
    <dialog
      ref={dialog}
      class="consent"
      aria-labelledby="consent-title"
      aria-describedby="consent-text"
      onCancel={(event) => event.preventDefault()}
      data-testid="consent-dialog"
    >
      <form onSubmit={onSubmit}>
        <h2 id="consent-title">Before you start</h2>
        <div id="consent-text">
          <p>
            Doppel swaps faces between photos. Everything happens on this device: your photos are never
            uploaded.
          </p>
          <p>
            Use only faces you have the right to use — your own, or those of people who agreed. Do not use
            Doppel to deceive, harass or impersonate anyone. Downloaded images are marked as AI-edited.
          </p>
        </div>
        <label class="consent-check">
          <input
            type="checkbox"
            checked={confirmed}
            onChange={(event) => setConfirmed(event.currentTarget.checked)}
            data-testid="consent-checkbox"
          />
          I have the right to use the faces in the photos I add.
        </label>
        <button type="submit" class="primary" disabled={!confirmed} data-testid="consent-accept">
          Continue
        </button>
      </form>
    </dialog>
  );
}
