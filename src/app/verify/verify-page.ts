/**
 * verify.html: fetches build-manifest.json, checks its Ed25519 signature and every listed file's
 * SHA-256 with WebCrypto, and shows the result. `?key=<base64|hex>` pins the expected public key.
 */
import {
  buildManifestPath,
  parseBuildManifest,
  parsePublicKey,
  verifyBuild,
  type VerifyReport,
} from '../../shared/build-manifest';

const root = new URL('./', location.href);
const element = (id: string) => document.getElementById(id) as HTMLElement;

function show(state: 'ok' | 'failed' | 'error', verdict: string): void {
  element('verify').dataset.state = state;
  element('verdict').textContent = verdict;
}

async function fetchBytes(path: string): Promise<Uint8Array<ArrayBuffer> | null> {
  const response = await fetch(new URL(path, root), { cache: 'no-cache' });
  if (response.status === 404) return null;
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

async function run(): Promise<VerifyReport> {
  const pinnedKey = new URLSearchParams(location.search).get('key');
  const publicKey = pinnedKey ? parsePublicKey(pinnedKey) : undefined;
  const bytes = await fetchBytes(buildManifestPath);
  if (!bytes) throw new Error(`this site serves no ${buildManifestPath}`);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new Error(`${buildManifestPath} is not JSON (only a production build has one)`);
  }
  const manifest = parseBuildManifest(json);
  element('build').textContent = `version ${manifest.appVersion}, built ${manifest.createdAt}`;
  const report = await verifyBuild(manifest, fetchBytes, publicKey ? { publicKey } : {});
  element('fingerprint').textContent = report.fingerprint;
  element('key-source').textContent = report.pinned
    ? '(pinned by ?key=)'
    : '(taken from the manifest: compare it with the key the operator publishes)';
  element('checked').textContent = String(report.filesChecked);
  element('problems').replaceChildren(
    ...report.problems.map((problem) => {
      const item = document.createElement('li');
      item.textContent = problem;
      return item;
    }),
  );
  return report;
}

run().then(
  (report) =>
    report.problems.length === 0
      ? show('ok', `Verified: the signature is valid and all ${report.filesChecked} files match.`)
      : show('failed', `Verification failed: ${report.problems.length} problem(s), listed below.`),
  (error: unknown) => show('error', `Could not verify: ${(error as Error).message}`),
);
