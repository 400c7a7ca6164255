import { effect, untracked } from '@preact/signals';

/** Runs `then` once, as soon as `condition` (which reads signals) is true: at once if it already is. */
export function when(condition: () => boolean, then: () => void): void {
  let fired = false;
  const stop = effect(() => {
    if (fired || !condition()) return;
    fired = true;
    // `stop` is not assigned yet when the condition holds on the first run.
    queueMicrotask(() => stop());
    untracked(then);
  });
}
