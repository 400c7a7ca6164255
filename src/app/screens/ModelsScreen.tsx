import { useEffect } from 'preact/hooks';
import { ErrorMessage } from '../components/ErrorMessage';
import { ProgressBar } from '../components/ProgressBar';
import { ImportModels } from '../models/ImportModels';
import { totalBytes, type ModelEntry } from '../models/model-files';
import {
  cachedPaths,
  cancelDownload,
  deleteModel,
  downloadProgress,
  enables,
  isAvailableOffline,
  loadError,
  loadModels,
  makeAllAvailableOffline,
  modelErrors,
  models,
  persistent,
  resumable,
  spaceProblem,
} from '../models/models-state';
import { formatBytes } from '../models/storage';
import '../models/models.css';
import { currentScreen } from './navigation';
import { ModelTable } from '../models/ModelTable';
import { NeuralModels } from '../models/NeuralModels';
import { KnownReleases } from '../models/KnownReleases';

function ModelRow({ model }: { model: ModelEntry }) {
  const offline = isAvailableOffline(model, cachedPaths.value);
  const busy = downloadProgress.value !== null;
  return (
    <tr data-testid="model-row" data-model-id={model.id} data-state={offline ? 'offline' : 'missing'}>
      <th scope="row">
        {model.name}
        <ErrorMessage error={modelErrors.value[model.id] ?? null} />
      </th>
      <td>{model.role}</td>
      <td data-testid="model-enables">{enables(model)}</td>
      <td data-testid="model-license">{model.license}</td>
      <td data-testid="model-size">{formatBytes(totalBytes(model.files))}</td>
      <td data-testid="model-status">{offline ? 'Available offline' : 'Not downloaded'}</td>
      <td>
        <button
          type="button"
          class="secondary"
          data-testid="model-delete"
          disabled={busy || !model.files.some((file) => cachedPaths.value.has(file.path))}
          onClick={() => void deleteModel(model)}
        >
          Delete
        </button>
      </td>
    </tr>
  );
}

function Persistence() {
  const state = persistent.value;
  const text =
    state === null
      ? 'Storage persistence: not asked yet (the browser is asked when you make models available offline).'
      : state
        ? 'Storage is persistent: the browser will not clear these files to free space.'
        : 'Storage is not persistent: the browser may clear these files when space runs low; they are then downloaded again when needed.';
  return (
    <p class="hint" data-testid="storage-persistence" data-persistent={String(state)}>
      {text}
    </p>
  );
}

/** The Models screen: each model file set, whether it is cached for offline use, delete and download. */
export function ModelsScreen() {
  const shown = currentScreen.value === 'models';
  // Read the manifest and the cache again each time the screen is shown.
  useEffect(() => {
    if (shown) void loadModels();
  }, [shown]);
  const list = models.value;
  const progress = downloadProgress.value;
  const allOffline = list?.every((model) => isAvailableOffline(model, cachedPaths.value)) ?? false;
  return (
    <section class="models" aria-labelledby="models-title">
      <h2 id="models-title">Models</h2>
      <p class="hint">
        Models run on this device. Files kept in this browser let Doppel work offline; deleted files are
        downloaded again the next time they are needed.
      </p>
      <ErrorMessage error={loadError.value} />
      {list && (
        <ModelTable label="Models" first="Model" testId="models-table">
          {list.map((model) => (
            <ModelRow key={model.id} model={model} />
          ))}
        </ModelTable>
      )}
      <div class="models-actions">
        <button
          type="button"
          class="primary"
          data-testid="make-offline"
          disabled={!list || progress !== null || allOffline}
          onClick={() => void makeAllAvailableOffline()}
        >
          Make available offline
        </button>
        {progress && (
          <div data-testid="download-progress" data-done={progress.done} data-total={progress.total}>
            <ProgressBar
              label="Model download progress"
              progress={{
                stage: 'models',
                fraction: progress.total ? progress.done / progress.total : 0,
                message: `Downloaded ${formatBytes(progress.done)} of ${formatBytes(progress.total)}`,
              }}
              onCancel={cancelDownload}
            />
          </div>
        )}
      </div>
      {!progress && resumable.value > 0 && !allOffline && (
        <p class="hint" data-testid="download-paused" data-bytes={resumable.value}>
          The download stopped after {formatBytes(resumable.value)}. Make available offline continues from
          there.
        </p>
      )}
      {spaceProblem.value && (
        <p class="error" role="alert" data-testid="space-problem" data-code={spaceProblem.value.code}>
          {spaceProblem.value.message}
        </p>
      )}
      <Persistence />
      <NeuralModels operator={list ?? []} />
      <KnownReleases />
      <ImportModels shown={shown} />
    </section>
  );
}
