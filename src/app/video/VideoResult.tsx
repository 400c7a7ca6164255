import { signal } from '@preact/signals';
import { toDoppelError, type DoppelError } from '../../shared/errors';
import { ErrorMessage } from '../components/ErrorMessage';
import { formatBytes, formatTime } from './time';
import { discardOutput, output, type VideoOutput } from './video-job';
import { canPickSaveFile, saveWithPicker } from './video-output';

const saving = signal(false);
const saveError = signal<DoppelError | null>(null);
/** The output (its URL) last saved through the file-save dialog, to say so. */
const savedUrl = signal<string | null>(null);

async function save(shown: VideoOutput): Promise<void> {
  saving.value = true;
  saveError.value = null;
  try {
    if (await saveWithPicker(shown.file, shown.saveName)) savedUrl.value = shown.url;
  } catch (error) {
    saveError.value = toDoppelError(error);
  } finally {
    saving.value = false;
  }
}

/** The finished video: play it, save it (file-save dialog, else a download), or discard it. */
export function VideoResult() {
  const shown = output.value;
  if (!shown) return null;
  const { result } = shown;
  return (
    <section class="panel video-result" aria-labelledby="video-result-heading" data-testid="video-result">
      <h2 id="video-result-heading">Result</h2>
      <p class="hint">
        {result.frames} frames ({formatTime(result.durationS)}), faces swapped in {result.framesSwapped};{' '}
        {result.audioKept ? 'sound copied from the original' : 'no sound'}; {formatBytes(result.bytes)}.
      </p>
      <video class="video-output" src={shown.url} controls playsInline data-testid="video-output" />
      <div class="download">
        {canPickSaveFile() ? (
          <button
            type="button"
            disabled={saving.value}
            onClick={() => void save(shown)}
            data-testid="video-save"
          >
            {saving.value ? 'Saving…' : 'Save video…'}
          </button>
        ) : (
          <a class="button-like" href={shown.url} download={shown.saveName} data-testid="video-save">
            Save video
          </a>
        )}
        <button
          type="button"
          class="secondary"
          onClick={() => void discardOutput()}
          data-testid="video-discard"
        >
          Discard
        </button>
      </div>
      {savedUrl.value === shown.url && (
        <p class="hint" role="status" data-testid="video-saved">
          Saved.
        </p>
      )}
      <ErrorMessage error={saveError.value} />
    </section>
  );
}
