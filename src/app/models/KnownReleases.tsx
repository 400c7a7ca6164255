import { findContract, modelContracts, modelRoles } from '../../shared/model-contracts';
import { knownReleases } from '../../shared/known-models';
import { formatBytes } from './storage';

/**
 * The files the neural engine expects, as they are published: file name, size and SHA-256 of each
 * release Doppel recognises (src/shared/known-models.ts, with where each hash was read), and where
 * such files are published. Doppel downloads none of them.
 */
export function KnownReleases() {
  const unlisted = modelRoles
    .flatMap((role) => modelContracts[role])
    .filter((contract) => !knownReleases.some((release) => release.contract === contract.id));
  return (
    <section aria-labelledby="known-releases-title" data-testid="known-releases">
      <h3 id="known-releases-title">Files Doppel recognises</h3>
      <p class="hint">
        These model files are published by others, not by Doppel: insightface publishes inswapper_128 and its
        buffalo_l pack (w600k_r50.onnx, det_10g.onnx) on its GitHub releases page, and copies (such as the
        fp16 ones) are shared on Hugging Face by projects like FaceFusion, Deep-Live-Cam and VisoMaster.
        Doppel never downloads them by itself: you get the files, check that their license lets you use them,
        and import them below. A file whose SHA-256 is listed here is named when you import it; any other file
        is still accepted when its inputs and outputs fit the model&apos;s role.
      </p>
      <div class="table-scroll" tabIndex={0} role="region" aria-label="Known releases">
        <table data-testid="known-releases-table">
          <thead>
            <tr>
              <th scope="col">File</th>
              <th scope="col">Model</th>
              <th scope="col">Release</th>
              <th scope="col">Size</th>
              <th scope="col">SHA-256</th>
            </tr>
          </thead>
          <tbody>
            {knownReleases.map((release) => (
              <tr key={release.sha256} data-testid="known-release" data-sha256={release.sha256}>
                <th scope="row">{release.fileName}</th>
                <td>
                  {release.model}, {release.precision} (
                  {findContract(release.contract)?.role ?? release.contract})
                </td>
                <td>{release.release}</td>
                <td data-bytes={release.bytes ?? ''}>
                  {release.bytes === null
                    ? 'not published'
                    : `${formatBytes(release.bytes)} (${release.bytes.toLocaleString('en')} bytes)`}
                </td>
                <td>
                  <code class="sha256">{release.sha256}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {unlisted.length > 0 && (
        <p class="hint" data-testid="known-releases-none">
          No release is listed for {unlisted.map((contract) => contract.reference).join('; ')}: such files are
          recognised by their inputs and outputs only.
        </p>
      )}
    </section>
  );
}
