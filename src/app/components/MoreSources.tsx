import { useRef } from 'preact/hooks';
import {
  addMoreSources,
  moreSources,
  moreSourcesErrors,
  moreSourcesLoading,
  removeMoreSource,
} from '../state/more-sources';
import { activeEngine } from '../state/neural';
import { source } from '../state/photos';
import { swapProgress } from '../state/swap';
import { BitmapCanvas } from './BitmapCanvas';
import { ErrorMessage } from './ErrorMessage';
import { ProgressBar } from './ProgressBar';

/** Neural engine: more photos of the source person, whose identities are averaged with the source face. */
export function MoreSources() {
  const input = useRef<HTMLInputElement>(null);
  if (activeEngine.value !== 'neural' || !source.photo.value) return null;
  const list = moreSources.value;
  const loading = moreSourcesLoading.value;
  return (
    <div
      class="more-sources"
      role="group"
      aria-label="More photos of this person"
      aria-describedby="more-sources-hint"
      data-testid="more-sources"
    >
      <p class="hint" id="more-sources-hint">
        More photos of this person make the neural swap closer to them: the largest face in each is averaged
        with the chosen face.
      </p>
      {list.length > 0 && (
        <ul class="faces" aria-label="Photos added" data-testid="more-sources-list">
          {list.map((extra) => (
            <li key={extra.imageId} class="extra-source" data-testid="more-source">
              <BitmapCanvas bitmap={extra.face.thumbnail} />
              <button
                type="button"
                class="secondary"
                aria-label={`Remove ${extra.name}`}
                title={`Remove ${extra.name}`}
                disabled={swapProgress.value !== null}
                onClick={() => removeMoreSource(extra.imageId)}
                data-testid="more-source-remove"
              >
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
      <button
        type="button"
        class="secondary"
        disabled={loading !== null}
        onClick={() => input.current?.click()}
        data-testid="more-sources-add"
      >
        Add more photos of this person…
      </button>
      <input
        ref={input}
        class="visually-hidden"
        type="file"
        accept="image/*"
        multiple
        tabIndex={-1}
        aria-label="More photos of this person"
        data-testid="more-sources-input"
        onChange={(event) => {
          const element = event.currentTarget;
          const files = Array.from(element.files ?? []);
          element.value = '';
          void addMoreSources(files);
        }}
      />
      {loading && <ProgressBar progress={loading} label="Extra photo analysis progress" />}
      {moreSourcesErrors.value.map((error, i) => (
        <ErrorMessage key={i} error={error} />
      ))}
    </div>
  );
}
