import { importedEnables, type ImportedModel } from './imported-models';
import { importing, removeImportedModel } from './import-state';
import { releaseOf } from './release-words';
import { releaseName } from '../../shared/known-models';
import { formatBytes } from './storage';

/** One imported model file: what it is (a known release or not), its size and SHA-256, and Remove. */
export function ImportedRow({ model }: { model: ImportedModel }) {
  const release = releaseOf(model);
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
      <td data-testid="imported-status" data-release={release ? 'known' : 'unknown'}>
        Installed, SHA-256 <code title={model.sha256}>{model.sha256.slice(0, 12)}</code>
        <br />
        {release ? `Known release: ${releaseName(release)}` : 'Not a known release'}
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
