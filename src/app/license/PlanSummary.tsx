import type { LicensePayload } from '../../shared/license/license-file-format';
import { licenseView } from './license-state';

const dayMs = 24 * 60 * 60 * 1000;
const longDate = (iso: string) => new Date(iso).toLocaleDateString(undefined, { dateStyle: 'long' });

function planLine(license: LicensePayload | null) {
  if (!license) return <>image swaps with the built-in engine.</>;
  if (license.plan === 'pro') return <>everything, paid once, with all updates of this major version.</>;
  const days = Math.max(0, Math.ceil((Date.parse(license.expiry) - Date.now()) / dayMs));
  return (
    <span data-testid="license-days-left" data-days={days}>
      {days === 1 ? '1 day' : `${days} days`} left, until {longDate(license.expiry)}.
    </span>
  );
}

function offlineLine(license: LicensePayload | null): string {
  if (!license) return 'The Free plan works offline with no time limit.';
  if (license.plan === 'trial')
    return `Everything works offline until ${longDate(license.expiry)}, when the trial ends.`;
  return `Everything works offline until ${longDate(license.expiry)}; Doppel moves this date on whenever it is online.`;
}

const planNames = { free: 'Free', trial: 'Trial', pro: 'Pro' } as const;

/** The plan, how long it lasts, what works offline until when, and why it last changed. */
export function PlanSummary() {
  const { loaded, license, notice } = licenseView.value;
  const name = license?.plan ?? 'free';
  return (
    <div
      class="plan-summary"
      data-testid="license-plan"
      data-plan={loaded ? name : 'loading'}
      aria-live="polite"
    >
      <p class="plan-name">
        <strong>{loaded ? planNames[name] : 'Checking the license…'}</strong>
        {loaded && <> — {planLine(license)}</>}
      </p>
      {loaded && <p data-testid="license-offline">{offlineLine(license)}</p>}
      {notice && (
        <p class="notice" data-testid="license-notice">
          {notice}
        </p>
      )}
    </div>
  );
}
