import { sha256Hex } from '../../shared/bytes';
import { DoppelError } from '../../shared/errors';
import { fetchModelManifest, type ModelManifest, type ModelManifestFile } from '../../shared/manifest';

async function fetchMatching(url: string, expected: ModelManifestFile, cache: RequestCache) {
  const response = await fetch(url, { cache });
  if (!response.ok) throw new DoppelError('MODEL_LOAD_FAILED', undefined, { url, status: response.status });
  const bytes = await response.arrayBuffer();
  const matches = bytes.byteLength === expected.bytes && (await sha256Hex(bytes)) === expected.sha256;
  return matches ? bytes : null;
}

const baseUrl = (modelBaseUrl: string) => new URL(modelBaseUrl, self.location.href);

/** The model manifest served beside the model files. */
export function fetchManifest(modelBaseUrl: string): Promise<ModelManifest> {
  return fetchModelManifest(new URL('manifest.json', baseUrl(modelBaseUrl)));
}

/**
 * One model file, checked against its size and SHA-256 before use. A mismatch is fetched once more
 * past the HTTP cache (evicting the bad copy); a second mismatch is an error.
 */
export async function fetchVerified(modelBaseUrl: string, file: ModelManifestFile): Promise<ArrayBuffer> {
  const url = new URL(file.path, baseUrl(modelBaseUrl)).href;
  const bytes = (await fetchMatching(url, file, 'default')) ?? (await fetchMatching(url, file, 'reload'));
  if (!bytes) throw new DoppelError('MODEL_CORRUPT', undefined, { path: file.path });
  return bytes;
}

/** Checks every file of the manifest's models with these ids before the models are used. */
export async function verifyModels(modelBaseUrl: string, ids: string[]): Promise<void> {
  const manifest = await fetchManifest(modelBaseUrl);
  for (const model of manifest.models.filter((m) => ids.includes(m.id))) {
    for (const file of model.files) await fetchVerified(modelBaseUrl, file);
  }
}
