import { signal } from '@preact/signals';
import { useEffect } from 'preact/hooks';
import { ErrorMessage } from '../components/ErrorMessage';
import { toDoppelError, type DoppelError } from '../../shared/errors';
import { modelRoles } from '../../shared/model-contracts';
import {
  importedEnables,
  importModelFile,
  listImported,
  removeImported,
  type ImportedModel,
  type RoleChoice,
} from './imported-models';
import { formatBytes, persistentStorage } from './storage';
import { ModelTable } from './ModelTable';

/** Models imported into this browser; null until read. */
export const importedModels = signal<ImportedModel[] | null>(null);
/** Why the last import refused files, one error per file. */
export const importErrors = signal<readonly DoppelError[]>([]);
export const importing = signal(false);
export const roleChoice = signal<RoleChoice>('auto');
/** How many imports finished on this page (tests wait for it to move). */
export const importRuns = signal(0);

export async function refreshImported(): Promise<void> {
  try {
    importedModels.value = await listImported();
  } catch (error) {
    importedModels.value = [];
    importErrors.value = [toDoppelError(error, 'MODEL_LOAD_FAILED')];
  }
}

/** Imports each file in turn; a refused file leaves everything already installed as it was. */
export async function importFiles(files: readonly File[]): Promise<void> {
  if (importing.value || files.length === 0) return;
  importing.value = true;
  const errors: DoppelError[] = [];
  try {
    for (const file of files) {
      try {
        await importModelFile(file, roleChoice.value);
      } catch (error) {
        errors.push(toDoppelError(error, 'MODEL_LOAD_FAILED'));
      }
    }
    if (errors.length < files.length) await persistentStorage(true).catch(() => null);
  } finally {
    importErrors.value = errors;
    importing.value = false;
    await refreshImported();
    importRuns.value++;
  }
}

export async function removeImportedModel(model: ImportedModel): Promise<void> {
  importErrors.value = [];
  await removeImported(model);
  await refreshImported();
}

function ImportedRow({ model }: { model: ImportedModel }) {
  return (
    <tr data-testid="imported-row" data-model-id={model.id} data-sha256={model.sha256} data-state="installed">
      <th scope="row" data-testid="imported-name">
        {model.name}
      </th>
      <td data-testid="imported-role">{model.role}</td>
      <td data-testid="imported-enables">{importedEnables(model)}</td>
      <td data-testid="imported-license">
        <a href={model.license.url} target="_blank" rel="noreferrer">
          {model.license.name}
        </a>{' '}
        (the reference model's; check your file's)
      </td>
      <td data-testid="imported-size" data-bytes={model.bytes}>
        {formatBytes(model.bytes)}
      </td>
      <td data-testid="imported-status">
        Installed, SHA-256 <code title={model.sha256}>{model.sha256.slice(0, 12)}</code>
      </td>
      <td>
        <button
          type="button"
          class="secondary"
          data-testid="imported-remove"
          disabled={importing.value}
          onClick={() => void removeImportedModel(model)}
        >
          Remove
        </button>
      </td>
    </tr>
  );
}

const onnxFiles = (list: FileList | null | undefined): File[] => Array.from(list ?? []);

/** "Import model files": role select, file picker and drop zone, and the imported models' table. */
export function ImportModels({ shown }: { shown: boolean }) {
  useEffect(() => {
    if (shown) void refreshImported();
  }, [shown]);
  const list = importedModels.value;
  return (
    <section
      class="models-import"
      aria-labelledby="models-import-title"
      data-testid="models-import"
      data-import-runs={importRuns.value}
      onDragOver={(event) => event.preventDefault()}
      onDrop={(event) => {
        event.preventDefault();
        void importFiles(onnxFiles(event.dataTransfer?.files));
      }}
    >
      <h3 id="models-import-title">Import model files</h3>
      <p class="hint">
        Bring your own ONNX files for the neural engine (inswapper_128, ArcFace w600k_r50, SCRFD det_10g,
        GFPGAN 1.4, XSeg or BiSeNet masks). Each file is checked against its role&apos;s inputs and outputs,
        hashed and kept in this browser only, also offline, until you remove it. Choose files or drop them
        here.
      </p>
      <div class="models-actions">
        <label>
          Role{' '}
          <select
            data-testid="import-role"
            value={roleChoice.value}
            onChange={(event) => (roleChoice.value = event.currentTarget.value as RoleChoice)}
          >
            <option value="auto">Detect from the file</option>
            {modelRoles.map((role) => (
              <option key={role} value={role}>
                {role}
              </option>
            ))}
          </select>
        </label>
        <label class="button-like models-import-pick">
          Import model files…
          <input
            type="file"
            accept=".onnx"
            multiple
            data-testid="import-input"
            disabled={importing.value}
            class="visually-hidden"
            onChange={(event) => {
              const input = event.currentTarget;
              const files = onnxFiles(input.files);
              input.value = '';
              void importFiles(files);
            }}
          />
        </label>
        {importing.value && (
          <span data-testid="import-busy" role="status">
            Checking and storing…
          </span>
        )}
      </div>
      <div data-testid="import-errors">
        {importErrors.value.map((error, i) => (
          <ErrorMessage key={i} error={error} />
        ))}
      </div>
      {list && list.length > 0 && (
        <ModelTable label="Imported model files" first="File" testId="imported-table">
          {list.map((model) => (
            <ImportedRow key={model.id} model={model} />
          ))}
        </ModelTable>
      )}
      {list && list.length === 0 && (
        <p class="hint" data-testid="imported-none">
          No model files imported.
        </p>
      )}
    </section>
  );
}
