import { useEffect } from 'preact/hooks';
import { ErrorMessage } from '../components/ErrorMessage';
import {
  deleteAllNow,
  deleteKept,
  historyError,
  historySettings,
  kept,
  retentionChoices,
  setHistoryEnabled,
  setRetention,
  startHistory,
} from '../history/history-state';
import { downloadName } from '../state/swap';
import '../history/history.css';

/** Opt-in local history: finished swaps kept in this browser for a window the user chooses. */
export function HistoryScreen() {
  useEffect(startHistory, []);
  const { enabled, retentionMinutes } = historySettings.value;
  return (
    <section class="history" aria-labelledby="history-title">
      <h2 id="history-title">History</h2>
      <p class="hint">
        Off unless you turn it on. Kept results stay in this browser only (IndexedDB) and are deleted
        automatically after the time you choose. Turning this off deletes them all.
      </p>
      <div class="history-settings">
        <label>
          <input
            type="checkbox"
            data-testid="history-enabled"
            checked={enabled}
            onChange={(event) => void setHistoryEnabled(event.currentTarget.checked)}
          />{' '}
          Keep my results in this browser
        </label>
        <label>
          Delete after{' '}
          <select
            data-testid="history-retention"
            value={String(retentionMinutes)}
            onChange={(event) => void setRetention(Number(event.currentTarget.value))}
          >
            {retentionChoices.map((choice) => (
              <option key={choice.minutes} value={String(choice.minutes)}>
                {choice.label}
              </option>
            ))}
          </select>
        </label>
        <button
          type="button"
          class="secondary"
          data-testid="history-delete-all"
          disabled={kept.value.length === 0}
          onClick={() => void deleteAllNow()}
        >
          Delete all now
        </button>
      </div>
      <ErrorMessage error={historyError.value} />
      {enabled && kept.value.length === 0 && <p class="hint">No results kept yet.</p>}
      <ul class="history-list" data-testid="history-list">
        {kept.value.map((entry) => (
          <li key={entry.id} data-testid="history-entry">
            <img src={entry.url} alt={`Result for ${entry.name}`} width={120} />
            <span>
              {entry.name} · {entry.width}×{entry.height} · {new Date(entry.createdAt).toLocaleString()}
            </span>
            <a href={entry.url} download={downloadName(entry.name, 'png')} data-testid="history-download">
              Download
            </a>
            <button
              type="button"
              class="secondary"
              data-testid="history-delete"
              onClick={() => void deleteKept(entry.id)}
            >
              Delete
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
