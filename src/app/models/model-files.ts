import { defaultConfig } from '../../shared/config';
import { DoppelError, throwIfAborted } from '../../shared/errors';
import { fetchModelManifest, type ModelManifest } from '../../shared/manifest';
import { cacheNames } from '../../shared/runtime-files';
import {
  continues,
  dropPartial,
  joinChunks,
  keepPartial,
  partialBytes,
  rangeHeaders,
  startPartial,
  takePartial,
  type PartialDownload,
} from './partial-downloads';
import { sha256Hex } from '../../shared/bytes';

export type ModelEntry = ModelManifest['models'][number];
export type ModelFile = ModelEntry['files'][number];

/** Absolute URL of a model file (its Cache Storage key). */
export function fileUrl(file: ModelFile): string {
  return new URL(file.path, new URL(defaultConfig.modelBaseUrl, location.href)).href;
}

export function loadManifest(): Promise<ModelManifest> {
  return fetchModelManifest(new URL('manifest.json', new URL(defaultConfig.modelBaseUrl, location.href)));
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
  model.files.forEach((file) => dropPartial(fileUrl(file)));
  await Promise.all(model.files.map((file) => cache.delete(fileUrl(file))));
}

/** Bytes that interrupted downloads of these files received and the next download continues from. */
export const resumableBytes = (files: readonly ModelFile[]): number =>
  files.reduce((sum, file) => sum + partialBytes(fileUrl(file)), 0);

/** Fetches a model file past every cache (`no-store`: the service worker leaves it to the network). */
function fetchFile(url: string, signal: AbortSignal, headers?: Headers): Promise<Response> {
  return fetch(url, { cache: 'no-store', signal, headers }).catch((error: unknown) => {
    throwIfAborted(signal);
    throw new DoppelError('MODEL_LOAD_FAILED', undefined, { url, cause: String(error) });
  });
}

const loadFailed = (url: string, response: Response) =>
  new DoppelError('MODEL_LOAD_FAILED', undefined, { url, status: response.status });

/**
 * The response to read a file from, and the partial download it continues (none: the whole file).
 * A kept partial download asks for the rest; a server that answers with the whole file (200), with a
 * range that does not continue it (e.g. of a changed file) or with 416 starts it over (`onBytes`
 * then takes the kept bytes back). Any other failure keeps the partial download for the next try.
 */
async function openDownload(
  file: ModelFile,
  signal: AbortSignal,
  onBytes: (bytes: number) => void,
): Promise<{ response: Response; resumed: PartialDownload | undefined }> {
  const url = fileUrl(file);
  const kept = takePartial(url);
  if (!kept) return { response: await fetchFile(url, signal), resumed: undefined };
  const response = await fetchFile(url, signal, rangeHeaders(kept)).catch((error: unknown) => {
    keepPartial(url, kept);
    throw error;
  });
  if (continues(response, kept, file.bytes)) return { response, resumed: kept };
  if (response.status !== 200 && response.status !== 206 && response.status !== 416) {
    keepPartial(url, kept);
    throw loadFailed(url, response);
  }
  onBytes(-kept.received);
  if (response.status === 200) return { response, resumed: undefined };
  await response.body?.cancel();
  return { response: await fetchFile(url, signal), resumed: undefined };
}

/**
 * Downloads one model file past every cache, streaming its body and reporting each chunk's size,
 * then checks its size and SHA-256 against the manifest. Only a matching copy is put into the models
 * cache; a mismatch is discarded and thrown as MODEL_CORRUPT.
 * An interrupted download (cancelled, or the connection dropped) keeps what it received, and the next
 * call asks only for the rest (`Range: bytes=N-` with If-Range; see openDownload). The SHA-256 check
 * covers the whole file; a resumed file that fails it is downloaded once more from the start before
 * it counts as corrupt.
 */
export async function downloadFile(
  file: ModelFile,
  signal: AbortSignal,
  onBytes: (bytes: number) => void,
): Promise<void> {
  const url = fileUrl(file);
  const { response, resumed } = await openDownload(file, signal, onBytes);
  if (!response.ok || !response.body) throw loadFailed(url, response);
  const download = resumed ?? startPartial(response);
  const reader = response.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (download.received + value.byteLength > file.bytes) {
        throw new DoppelError('MODEL_CORRUPT', undefined, { path: file.path, reason: 'too long' });
      }
      download.chunks.push(value);
      download.received += value.byteLength;
      onBytes(value.byteLength);
      throwIfAborted(signal);
    }
  } catch (error) {
    if (error instanceof DoppelError && error.code === 'MODEL_CORRUPT') throw error;
    keepPartial(url, download);
    throwIfAborted(signal);
    throw error instanceof DoppelError
      ? error
      : new DoppelError('MODEL_LOAD_FAILED', undefined, { url, cause: String(error) });
  } finally {
    reader.releaseLock();
  }
  const bytes = joinChunks(download.chunks, file.bytes);
  if (download.received !== file.bytes || (await sha256Hex(bytes)) !== file.sha256) {
    if (resumed) {
      onBytes(-download.received);
      return downloadFile(file, signal, onBytes);
    }
    throw new DoppelError('MODEL_CORRUPT', undefined, { path: file.path });
  }
  throwIfAborted(signal);
  const headers = new Headers(response.headers);
  headers.delete('content-range');
  headers.set('content-length', String(file.bytes));
  const cache = await caches.open(cacheNames.models);
  await cache.put(url, new Response(bytes, { status: 200, statusText: 'OK', headers }));
}
