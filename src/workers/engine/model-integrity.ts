import { DoppelError } from '../../shared/errors';
import type { ModelManifest } from '../../shared/manifest';

async function sha256(bytes: ArrayBuffer): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

async function fileMatches(url: string, expected: { bytes: number; sha256: string }, cache: RequestCache) {
  const response = await fetch(url, { cache });
  if (!response.ok) throw new DoppelError('MODEL_LOAD_FAILED', undefined, { url, status: response.status });
  const bytes = await response.arrayBuffer();
  return bytes.byteLength === expected.bytes && (await sha256(bytes)) === expected.sha256;
}

/**
 * Checks every file of the manifest's models against its size and SHA-256 before the models are used.
 * A mismatch is fetched once more past the HTTP cache (evicting the bad copy); a second mismatch is an error.
 */
export async function verifyModels(modelBaseUrl: string, ids: string[]): Promise<void> {
  const response = await fetch(new URL('manifest.json', new URL(modelBaseUrl, self.location.href)));
  if (!response.ok) throw new DoppelError('MODEL_LOAD_FAILED', undefined, { status: response.status });
  const manifest = (await response.json()) as ModelManifest;
  for (const model of manifest.models.filter((m) => ids.includes(m.id))) {
    for (const file of model.files) {
      const url = new URL(file.path, new URL(modelBaseUrl, self.location.href)).href;
      if ((await fileMatches(url, file, 'default')) || (await fileMatches(url, file, 'reload'))) continue;
      throw new DoppelError('MODEL_CORRUPT', undefined, { path: file.path });
    }
  }
}
