import { canSwap, cancelSwap, swap, swapError, swapProgress } from '../state/swap';
import { ErrorMessage } from './ErrorMessage';
import { ProgressBar } from './ProgressBar';

/** The Swap button, or the running swap's progress with Cancel, and the swap's error. */
export function SwapControls() {
  const progress = swapProgress.value;
  return (
    <div class="swap-controls">
      {progress ? (
        <ProgressBar progress={progress} label="Swap progress" onCancel={cancelSwap} />
      ) : (
        <button
          type="button"
          class="primary"
          disabled={!canSwap.value}
          onClick={() => void swap()}
          data-testid="swap-button"
        >
          Swap faces
        </button>
      )}
      <ErrorMessage error={swapError.value} />
    </div>
  );
}
