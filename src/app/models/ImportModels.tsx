import { useEffect } from 'preact/hooks';
import { ErrorMessage } from '../components/ErrorMessage';
import { modelRoles } from '../../shared/model-contracts';
import type { RoleChoice } from './imported-models';
import { chosenFolderFiles, droppedFiles } from './dropped-files';
import { ImportedRow } from './ImportedRow';
import {
  importedModels,
  importErrors,
  importFiles,
  importing,
  importResults,
  importRuns,
  refreshImported,
  roleChoice,
} from './import-state';
import { ModelTable } from './ModelTable';

export { importedModels, refreshImported };

/** What the last import did with each file, in order: recognised, installed or refused. */
function ImportResults() {
  const results = importResults.value;
  if (results.length === 0) return null;
  return (
    <ul class="models-import-results" data-testid="import-results" aria-label="Imported files">
      {results.map((result, i) => (
        <li
          key={i}
          data-testid="import-result"
          data-file={result.file}
          data-state={result.state}
          data-release={result.state === 'installed' && result.release ? 'known' : 'unknown'}
        >
          <strong>{result.file}</strong>:{' '}
          {result.state === 'installed'
            ? `${result.words} Installed.`
            : `refused (${result.error.code}), see why below.`}
        </li>
      ))}
    </ul>
  );
}

/** "2 files installed, 1 refused.": said politely once an import ends (the list itself is not live). */
function ImportSummary() {
  const results = importResults.value;
  const installed = results.filter((r) => r.state === 'installed').length;
  const refused = results.length - installed;
  const files = (n: number) => `${n} file${n === 1 ? '' : 's'}`;
  const text =
    importing.value || results.length === 0
      ? ''
      : `${files(installed)} installed${refused ? `, ${refused} refused` : ''}.`;
  return (
    <p class="visually-hidden" role="status" data-testid="import-summary">
      {text}
    </p>
  );
}

/** Hidden file input inside a button-like label; `pick` turns the chosen list into the files to import. */
function PickInput(props: {
  label: string;
  testId: string;
  folder?: boolean;
  pick: (list: FileList | null) => File[];
}) {
  const folder = props.folder ? { webkitdirectory: true } : { accept: '.onnx', multiple: true };
  return (
    <label class="button-like models-import-pick">
      {props.label}
      <input
        type="file"
        {...folder}
        data-testid={props.testId}
        disabled={importing.value}
        class="visually-hidden"
        onChange={(event) => {
          const input = event.currentTarget;
          const files = props.pick(input.files);
          input.value = '';
          void importFiles(files);
        }}
      />
    </label>
  );
}

/** "Import model files": role select, file and folder pickers, drop zone, results and the imported table. */
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
        void droppedFiles(event.dataTransfer).then(importFiles);
      }}
    >
      <h3 id="models-import-title">Import model files</h3>
      <p class="hint">
        Bring your own ONNX files for the neural engine (inswapper_128, ArcFace w600k_r50, SCRFD det_10g,
        GFPGAN 1.4, XSeg or BiSeNet masks). Each file is recognised by its SHA-256 when it is a known release,
        checked against its role&apos;s inputs and outputs, and kept in this browser only, also offline, until
        you remove it. Choose files or a whole folder, or drop them here.
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
        <PickInput label="Import model files…" testId="import-input" pick={(l) => Array.from(l ?? [])} />
        <PickInput label="Choose a folder…" testId="import-folder" folder pick={chosenFolderFiles} />
        {importing.value && (
          <span data-testid="import-busy" role="status">
            Checking and storing…
          </span>
        )}
      </div>
      <ImportSummary />
      <ImportResults />
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
