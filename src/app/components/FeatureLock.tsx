import type { ComponentChildren } from 'preact';
import { lockReason, type Feature } from '../state/entitlements';

/** Why a feature is locked, with the way to the License screen; nothing while the plan includes it. */
export function LockNote({ feature, id }: { feature: Feature; id?: string }) {
  const reason = lockReason(feature);
  if (!reason) return null;
  return (
    <p class="lock-reason" role="note" id={id} data-testid="lock-reason" data-feature={feature}>
      {reason} <a href="#/license">See plans</a>
    </p>
  );
}

/**
 * Shows a feature whether or not the plan includes it: inside the plan, as it is; outside, disabled
 * (a disabled, inert fieldset: no clicks, drops or focus) with a one-line reason and a link to the
 * License screen.
 */
export function FeatureLock({ feature, children }: { feature: Feature; children: ComponentChildren }) {
  if (!lockReason(feature)) return <>{children}</>;
  return (
    <div class="feature-lock" data-testid="feature-lock" data-feature={feature}>
      <LockNote feature={feature} />
      <fieldset disabled inert class="locked">
        {children}
      </fieldset>
    </div>
  );
}
