import { appSettings, changeAppSettings, type ThreadsChoice } from '../state/app-settings';

/** The thread count the running engine was started with (a choice made since applies after a reload). */
const startedWith = appSettings.value.threads;

const cores = () => Math.max(1, navigator.hardwareConcurrency || 1);

/**
 * How many processor threads WebAssembly may use: automatic (what the engine picks: every core for the
 * neural engine, at most half of them for the face models) or a count from 1 to the number of cores.
 * Threads need a cross-origin isolated page; without it WebAssembly runs on one thread whatever is chosen.
 */
export function ThreadsSettings() {
  const chosen = appSettings.value.threads;
  const count = cores();
  const options: ThreadsChoice[] = ['auto', ...Array.from({ length: count }, (_, i) => i + 1)];
  return (
    <fieldset class="settings-part" data-testid="threads-settings">
      <legend>Processor threads</legend>
      <label>
        Threads for WebAssembly{' '}
        <select
          value={String(chosen)}
          data-testid="threads-choice"
          onChange={(event) => {
            const value = event.currentTarget.value;
            changeAppSettings({ threads: value === 'auto' ? 'auto' : Number(value) });
          }}
        >
          {options.map((option) => (
            <option key={option} value={String(option)}>
              {option === 'auto'
                ? `Automatic (recommended; uses up to ${count} cores)`
                : `${option} thread${option === 1 ? '' : 's'}`}
            </option>
          ))}
        </select>
      </label>
      <p class="hint">
        Used when the face models run on the processor (WebAssembly), and by the neural engine&apos;s
        processor part. Fewer threads leave the computer more responsive; more are faster.
      </p>
      {!crossOriginIsolated && (
        <p class="notice" data-testid="threads-not-isolated">
          This page is not cross-origin isolated (the site does not send the headers that allow it), so
          WebAssembly runs on one thread whatever you choose here.
        </p>
      )}
      {chosen !== startedWith && (
        <p class="notice" data-testid="threads-reload">
          The new choice applies once the page is reloaded.{' '}
          <button type="button" class="secondary" onClick={() => location.reload()}>
            Reload now
          </button>
        </p>
      )}
    </fieldset>
  );
}
