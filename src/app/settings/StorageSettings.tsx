import { useState } from 'preact/hooks';
import { ErrorMessage } from '../components/ErrorMessage';
import { formatBytes } from '../models/storage';
import { jobProgress } from '../video/video-job';
import { clearEverything, clearError, clearing, clearRuns, storageUse } from './storage-use';

function Use() {
  const use = storageUse.value;
  if (!use) return <p class="hint">Reading how much is stored…</p>;
  if (use.usedBytes === null) return <p class="hint">This browser does not say how much Doppel stores.</p>;
  return (
    <p data-testid="storage-used" data-bytes={use.usedBytes}>
      Doppel stores {formatBytes(use.usedBytes)} in this browser
      {use.quotaBytes !== null && ` (it allows up to ${formatBytes(use.quotaBytes)} for this site)`}.
    </p>
  );
}

/** Storage used, and "Clear everything" (asked twice). */
export function StorageSettings() {
  const [asking, setAsking] = useState(false);
  const busy = clearing.value || jobProgress.value !== null;
  const clear = async () => {
    setAsking(false);
    await clearEverything();
  };
  return (
    <section
      class="settings-part"
      aria-labelledby="storage-title"
      data-testid="storage-settings"
      data-clear-runs={clearRuns.value}
    >
      <h3 id="storage-title">Storage</h3>
      <Use />
      {asking ? (
        <div class="notice" role="group" aria-labelledby="clear-question">
          <p id="clear-question">
            Delete the downloaded and imported model files, finished videos, results kept in History and every
            remembered option? The app itself, your license and your consent stay.
          </p>
          <div class="settings-buttons">
            <button type="button" class="primary" onClick={() => void clear()} data-testid="clear-confirm">
              Delete everything
            </button>
            <button type="button" class="secondary" onClick={() => setAsking(false)}>
              Keep it
            </button>
          </div>
        </div>
      ) : (
        <button
          type="button"
          class="secondary"
          disabled={busy}
          onClick={() => setAsking(true)}
          data-testid="clear-everything"
        >
          {clearing.value ? 'Clearing…' : 'Clear everything…'}
        </button>
      )}
      {jobProgress.value !== null && (
        <p class="hint">A video is being made: clear everything once it is done or cancelled.</p>
      )}
      <ErrorMessage error={clearError.value} />
    </section>
  );
}
