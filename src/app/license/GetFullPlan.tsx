import { ActionButton } from './ActionButton';
import { buyPro, licenseView, startTrial } from './license-state';

/** The ways to everything: the free trial (while on Free) and buying Pro (until it is bought). */
export function GetFullPlan() {
  const { license } = licenseView.value;
  if (license?.plan === 'pro') return null;
  return (
    <section class="license-part" aria-labelledby="license-get-title">
      <h3 id="license-get-title">
        Everything: the neural engine, video, GIF, the live camera, the command line
      </h3>
      <div class="license-buttons">
        {!license && (
          <ActionButton
            action="trial"
            label="Start free trial"
            busyLabel="Starting the trial…"
            onPress={startTrial}
            testId="start-trial"
          />
        )}
        <ActionButton
          action="buy"
          label="Buy Pro"
          busyLabel="Opening the payment page…"
          onPress={buyPro}
          testId="buy-button"
          primary
        />
      </div>
      <p class="hint">
        Trial: 7 days, no card, once per device. Pro: one payment, no subscription, one device at a time
        (deactivate it here to move it).
      </p>
    </section>
  );
}
