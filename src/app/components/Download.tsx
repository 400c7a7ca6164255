import type { ImageFormat } from '../../workers/engine/client';
import { download, downloadError, downloadFormat, downloading, result, visibleLabel } from '../state/swap';
import { ErrorMessage } from './ErrorMessage';

/**
 * Format choice (PNG or JPEG for a photo; a GIF stays a GIF), the visible label option for a photo,
 * and the button that saves the result.
 */
export function Download() {
  const animated = result.value?.kind === 'gif';
  return (
    <div class="download">
      {animated ? (
        <p class="hint">Animated GIF</p>
      ) : (
        <label>
          Format{' '}
          <select
            value={downloadFormat.value}
            onChange={(event) => (downloadFormat.value = event.currentTarget.value as ImageFormat)}
            data-testid="format-select"
          >
            <option value="png">PNG (lossless)</option>
            <option value="jpeg">JPEG (smaller)</option>
          </select>
        </label>
      )}
      {!animated && (
        <label>
          <input
            type="checkbox"
            checked={visibleLabel.value}
            onChange={(event) => (visibleLabel.value = event.currentTarget.checked)}
            data-testid="visible-label"
          />{' '}
          “AI-edited” label in the corner
        </label>
      )}
      <button
        type="button"
        onClick={() => void download()}
        disabled={downloading.value}
        data-testid="download-button"
      >
        {downloading.value ? 'Preparing…' : 'Download'}
      </button>
      <ErrorMessage error={downloadError.value} />
    </div>
  );
}
