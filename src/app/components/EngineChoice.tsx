import { entitled } from '../state/entitlements';
import { activeEngine, neuralStatus, neuralStatusError } from '../state/neural';
import { changeSwapSettings } from '../state/settings';
import { LockNote } from './FeatureLock';

/** "X", "X and Y", "X, Y and Z". */
function listed(items: readonly string[]): string {
  const head = items.slice(0, -1).join(', ');
  return head ? `${head} and ${items.at(-1)}` : (items[0] ?? '');
}

function reason(): string {
  const status = neuralStatus.value;
  const error = neuralStatusError.value;
  if (status) {
    return `Neural needs ${listed(status.missing)}: import ${status.missing.length === 1 ? 'it' : 'them'} on the`;
  }
  if (error) return `The neural models could not be checked (${error.message}). See the`;
  return 'Checking for neural models… See the';
}

/** Why the neural engine cannot be chosen yet, with the way to the Models screen. */
function NeuralUnavailable() {
  return (
    <p class="hint engine-reason" id="neural-unavailable" data-testid="neural-unavailable">
      {reason()} <a href="#/models">Models screen</a>.
    </p>
  );
}

/**
 * Built-in or neural engine; neural only on a plan that includes it (otherwise locked, saying why) and
 * while its models are installed (by the operator or imported).
 */
export function EngineChoice() {
  const engine = activeEngine.value;
  const locked = !entitled('neural-engine');
  const ready = neuralStatus.value?.ready ?? false;
  const why = locked ? 'neural-locked' : ready ? undefined : 'neural-unavailable';
  return (
    <fieldset class="options engine-choice" data-testid="engine-choice" data-engine={engine}>
      <legend>Engine</legend>
      <label>
        <input
          type="radio"
          name="engine"
          value="builtin"
          checked={engine === 'builtin'}
          onChange={() => changeSwapSettings({ engine: 'builtin' })}
          data-testid="engine-builtin"
        />
        Built-in
      </label>
      <label>
        <input
          type="radio"
          name="engine"
          value="neural"
          checked={engine === 'neural'}
          disabled={locked || !ready}
          aria-describedby={why}
          onChange={() => changeSwapSettings({ engine: 'neural' })}
          data-testid="engine-neural"
        />
        Neural
      </label>
      {locked ? <LockNote feature="neural-engine" id="neural-locked" /> : !ready && <NeuralUnavailable />}
    </fieldset>
  );
}
