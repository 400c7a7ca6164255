import { modelContracts, modelRoles, type ModelContract } from '../../shared/model-contracts';
import { enablesByContract } from './imported-models';
import { importedModels } from './ImportModels';
import type { ModelEntry } from './model-files';
import { ModelTable } from './ModelTable';
import { formatBytes } from './storage';

/** Which installed model, if any, serves a contract: the user's import first, then the operator's. */
function installedFor(contract: ModelContract, operator: readonly ModelEntry[]) {
  const imported = importedModels.value?.findLast((m) => m.contract === contract.id);
  if (imported) return { bytes: imported.bytes, status: `Installed: imported ${imported.name}` };
  const served = operator.find((m) => m.contract === contract.id);
  if (served) {
    const bytes = served.files.reduce((sum, file) => sum + file.bytes, 0);
    return { bytes, status: `Installed by the operator: ${served.name}` };
  }
  return null;
}

/**
 * Every model the neural engine can use, installed or not: what it enables, the reference weights'
 * license, and where it comes from. We do not ship these weights (README: bringing the model weights).
 */
export function NeuralModels({ operator }: { operator: readonly ModelEntry[] }) {
  return (
    <section aria-labelledby="neural-models-title" data-testid="neural-models">
      <h3 id="neural-models-title">Neural engine models</h3>
      <p class="hint">
        The neural engine needs a face swapper and a face identity model; the others are optional. Their
        weights are not ours to ship: import files you have below, or ask the site's operator to add them.
      </p>
      <ModelTable label="Neural engine models" first="Model" testId="neural-models-table">
        {modelRoles.flatMap((role) =>
          modelContracts[role].map((contract) => {
            const installed = installedFor(contract, operator);
            return (
              <tr
                key={contract.id}
                data-testid="neural-model-row"
                data-contract={contract.id}
                data-state={installed ? 'installed' : 'missing'}
              >
                <th scope="row">{contract.reference}</th>
                <td>{role}</td>
                <td>{enablesByContract[contract.id] ?? role}</td>
                <td>
                  <a href={contract.license.url} target="_blank" rel="noreferrer">
                    {contract.license.name}
                  </a>
                </td>
                <td>{installed ? formatBytes(installed.bytes) : '—'}</td>
                <td data-testid="neural-model-status">{installed?.status ?? 'Not installed'}</td>
                <td />
              </tr>
            );
          }),
        )}
      </ModelTable>
    </section>
  );
}
