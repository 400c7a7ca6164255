import type { BackendChoice } from '../../shared/config';
import { appSettings, backendInAddress, changeAppSettings } from '../state/app-settings';
import { engineStatus } from '../state/engine';
import { backendFromSearch } from '../state/settings';

const choices: { value: BackendChoice; label: string; hint: string }[] = [
  {
    value: 'auto',
    label: 'Automatic (recommended)',
    hint: 'The graphics card (WebGPU) when it is a real one, else the processor (WebAssembly).',
  },
  { value: 'webgpu', label: 'Graphics card (WebGPU)', hint: 'Fastest on a real graphics card.' },
  {
    value: 'wasm',
    label: 'Processor (WebAssembly)',
    hint: 'Slower, but works everywhere; uses several threads where the page allows it.',
  },
];

/** The backend the running engine was started with (a choice made since applies after a reload). */
const startedWith = backendFromSearch(location.search);

function Running() {
  const status = engineStatus.value;
  if (status.state === 'loading') return <p class="hint">The face engine is starting…</p>;
  if (status.state === 'failed')
    return <p class="hint">The face engine did not start: {status.error.message}</p>;
  const { backend, threads, neuralThreads, reason } = status.info;
  const plural = (n: number) => `${n} thread${n === 1 ? '' : 's'}`;
  const where =
    backend === 'webgpu' ? 'the graphics card (WebGPU)' : `the processor (WebAssembly, ${plural(threads)})`;
  return (
    <p
      data-testid="backend-now"
      data-backend={backend}
      data-threads={threads}
      data-neural-threads={neuralThreads}
    >
      Running now on {where}; the neural engine&apos;s processor part uses {plural(neuralThreads)}. {reason}
    </p>
  );
}

/** Where the face models run: automatic, WebGPU or WebAssembly, with why the current one runs. */
export function BackendSettings() {
  const chosen = appSettings.value.backend;
  const forced = backendInAddress(location.search);
  return (
    <fieldset class="settings-part" data-testid="backend-settings">
      <legend>Where the face models run</legend>
      <Running />
      {choices.map((choice) => (
        <label key={choice.value} class="settings-choice">
          <input
            type="radio"
            name="backend"
            value={choice.value}
            checked={chosen === choice.value}
            onChange={() => changeAppSettings({ backend: choice.value })}
            data-testid={`backend-${choice.value}`}
          />
          <span>
            {choice.label} <span class="hint">{choice.hint}</span>
          </span>
        </label>
      ))}
      {forced && (
        <p class="hint" data-testid="backend-forced">
          This address asks for {forced} (<code>?backend={forced}</code>), which wins over the choice above
          until Doppel is opened without it.
        </p>
      )}
      {!forced && chosen !== startedWith && (
        <p class="notice" data-testid="backend-reload">
          The new choice applies once the page is reloaded.{' '}
          <button type="button" class="secondary" onClick={() => location.reload()}>
            Reload now
          </button>
        </p>
      )}
    </fieldset>
  );
}
