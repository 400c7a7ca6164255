import { defaultConfig } from '../../shared/config';
import { DoppelError, throwIfAborted } from '../../shared/errors';
import type { ModelManifest } from '../../shared/manifest';
import { cacheNames } from '../../shared/runtime-files';

export type ModelEntry = ModelManifest['models'][number];
export type ModelFile = ModelEntry['files'][number];

/** Absolute URL of a model file (its Cache Storage key). */
export function fileUrl(file: ModelFile): string {
  return new URL(file.path, new URL(defaultConfig.modelBaseUrl, location.href)).href;
}

export async function loadManifest(): Promise<ModelManifest> {
  const url = new URL('manifest.json', new URL(defaultConfig.modelBaseUrl, location.href));
  const response = await fetch(url);
  if (!response.ok) throw new DoppelError('MODEL_LOAD_FAILED', undefined, { status: response.status });
  return (await response.json()) as ModelManifest;
}

export const totalBytes = (files: readonly ModelFile[]): number =>
  files.reduce((sum, file) => sum + file.bytes, 0);

/** Which of these files the service worker's models cache holds (by URL). */
export async function cachedFiles(files: readonly ModelFile[]): Promise<Set<string>> {
  if (!('caches' in self)) return new Set();
  const cache = await caches.open(cacheNames.models);
  const held = await Promise.all(
    files.map(async (file) => ((await cache.match(fileUrl(file))) ? file : null)),
  );
  return new Set(held.filter((file) => file !== null).map((file) => file.path));
}

/** Removes a model's files from the models cache; the app downloads them again on next use. */
export async function deleteModelFiles(model: ModelEntry): Promise<void> {
  const cache = await caches.open(cacheNames.models);
  await Promise.all(model.files.map((file) => cache.delete(fileUrl(file))));
}

async function sha256(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Downloads one model file past every cache (`no-store`: the service worker leaves it to the
 * network), streaming its body and reporting each chunk's size, then checks its size and SHA-256
 * against the manifest. Only a matching copy is put into the models cache; a mismatch is discarded
 * and thrown as MODEL_CORRUPT.
 */
export async function downloadFile(
  file: ModelFile,
  signal: AbortSignal,
  onBytes: (bytes: number) => void,
): Promise<void> {
  const url = fileUrl(file);
  const response = await fetch(url, { cache: 'no-store', signal }).catch((error: unknown) => {
    throwIfAborted(signal);
    throw new DoppelError('MODEL_LOAD_FAILED', undefined, { url, cause: String(error) });
  });
  if (!response.ok || !response.body) {
    throw new DoppelError('MODEL_LOAD_FAILED', undefined, { url, status: response.status });
  }
  const bytes = new Uint8Array(new ArrayBuffer(file.bytes));
  let received = 0;
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      throwIfAborted(signal);
      if (received + value.byteLength > file.bytes) {
        throw new DoppelError('MODEL_CORRUPT', undefined, { path: file.path, reason: 'too long' });
      }
      bytes.set(value, received);
      received += value.byteLength;
      onBytes(value.byteLength);
    }
  } catch (error) {
    throwIfAborted(signal);
    throw error instanceof DoppelError
      ? error
      : new DoppelError('MODEL_LOAD_FAILED', undefined, { url, cause: String(error) });
  } finally {
    reader.releaseLock();
  }
  if (received !== file.bytes || (await sha256(bytes)) !== file.sha256) {
    throw new DoppelError('MODEL_CORRUPT', undefined, { path: file.path });
  }
  throwIfAborted(signal);
  const headers = new Headers(response.headers);
  headers.set('content-length', String(file.bytes));
  const cache = await caches.open(cacheNames.models);
  await cache.put(url, new Response(bytes, { status: 200, statusText: 'OK', headers }));
}
