import type { Progress } from '../../workers/engine/client';

interface Props {
  progress: Progress;
  /** What is in progress, for screen readers (e.g. "Swap progress"). */
  label: string;
  onCancel?: () => void;
}

/** How often a screen reader hears the progress: every this many percent, not every frame. */
const announceStep = 10;

export function ProgressBar({ progress, label, onCancel }: Props) {
  const percent = Math.round(progress.fraction * 100);
  const announced = Math.floor(percent / announceStep) * announceStep;
  return (
    <div class="progress" data-testid="progress">
      <progress max={100} value={percent} aria-label={label} />
      <span class="progress-message">
        {progress.message} ({percent}%)
      </span>
      <span class="visually-hidden" aria-live="polite" data-testid="progress-announced">
        {label}: {announced}%
      </span>
      {onCancel && (
        <button type="button" class="secondary" onClick={onCancel} data-testid="cancel-button">
          Cancel
        </button>
      )}
    </div>
  );
}
