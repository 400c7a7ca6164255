import type { Progress } from '../../workers/engine/client';

interface Props {
  progress: Progress;
  /** What is in progress, for screen readers (e.g. "Swap progress"). */
  label: string;
  onCancel?: () => void;
}

export function ProgressBar({ progress, label, onCancel }: Props) {
  const percent = Math.round(progress.fraction * 100);
  return (
    <div class="progress" data-testid="progress">
      <progress max={100} value={percent} aria-label={label} />
      <span class="progress-message" role="status">
        {progress.message} ({percent}%)
      </span>
      {onCancel && (
        <button type="button" class="secondary" onClick={onCancel} data-testid="cancel-button">
          Cancel
        </button>
      )}
    </div>
  );
}
