import { busy } from './busy';
import { applyUpdate, dismissUpdate, updateState } from './register';
import './update-banner.css';

/** "A new version of Doppel is ready": reloads only when the user asks, and never during a job. */
export function UpdateBanner() {
  const state = updateState.value;
  if (state === 'none') return null;
  const waiting = state === 'applying' && busy.value;
  return (
    <div class="update-banner" role="status" data-testid="update-banner" data-state={state}>
      <p>
        A new version of Doppel is ready.
        {waiting && ' It will load when the current job finishes.'}
      </p>
      <div class="update-actions">
        <button type="button" class="primary" onClick={applyUpdate} disabled={state === 'applying'}>
          {state === 'applying' ? 'Updating…' : 'Reload to update'}
        </button>
        {state === 'ready' && (
          <button type="button" class="secondary" onClick={dismissUpdate}>
            Later
          </button>
        )}
      </div>
    </div>
  );
}
