import { useEffect } from 'preact/hooks';
import { ErrorMessage } from '../components/ErrorMessage';
import { watchCheckoutReturn } from '../license/checkout-return';
import { GetFullPlan } from '../license/GetFullPlan';
import { KeyForm } from '../license/KeyForm';
import { licenseBusy, licenseError, licenseView, startLicensing } from '../license/license-state';
import { PlanSummary } from '../license/PlanSummary';
import { ThisDevice } from '../license/ThisDevice';

/**
 * The License screen: plan and days left, the trial, buying, entering a key (and taking a license
 * over from another device), this device's activation. Mounted with the app (hidden until chosen), so
 * it checks the stored license at startup and picks up the return from Stripe Checkout.
 */
export function LicenseScreen() {
  useEffect(() => {
    const stopLicensing = startLicensing();
    const stopCheckout = watchCheckoutReturn();
    return () => {
      stopLicensing();
      stopCheckout();
    };
  }, []);
  const { license } = licenseView.value;
  return (
    <section class="license" aria-labelledby="license-title" aria-busy={licenseBusy.value !== null}>
      <h2 id="license-title">License</h2>
      <PlanSummary />
      {licenseBusy.value === 'checkout' && (
        <p role="status" data-testid="checkout-status">
          Waiting for the payment to be confirmed; the key is applied as soon as it is.
        </p>
      )}
      <ErrorMessage error={licenseError.value} />
      <GetFullPlan />
      {license?.plan !== 'pro' && <KeyForm />}
      <ThisDevice />
    </section>
  );
}
