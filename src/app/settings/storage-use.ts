import { signal } from '@preact/signals';
import { toDoppelError, type DoppelError } from '../../shared/errors';
import { importedModelsDirectory } from '../../shared/imported-model';
import { cacheNames } from '../../shared/runtime-files';
import { deleteAllNow } from '../history/history-state';
import { refreshImported } from '../models/ImportModels';
import { refreshCache } from '../models/models-state';
import { resetAppSettings } from '../state/app-settings';
import { resetSwapSettings } from '../state/settings';
import { discardOutput } from '../video/video-job';

/** What this site keeps in the browser, as the browser counts it; null where it does not say. */
export interface StorageUse {
  usedBytes: number | null;
  quotaBytes: number | null;
}

export const storageUse = signal<StorageUse | null>(null);
export const clearing = signal(false);
export const clearError = signal<DoppelError | null>(null);
/** How many times everything was cleared on this page (tests wait for it to move). */
export const clearRuns = signal(0);

export async function refreshStorageUse(): Promise<void> {
  const estimate = navigator.storage?.estimate ? await navigator.storage.estimate().catch(() => null) : null;
  storageUse.value = { usedBytes: estimate?.usage ?? null, quotaBytes: estimate?.quota ?? null };
}

/** The folders of the origin private file system Doppel writes: imported models, finished videos. */
const opfsFolders = [importedModelsDirectory, 'video-output'];

/**
 * Deletes what Doppel keeps in this browser: downloaded and imported model files, finished videos,
 * the local history, and every remembered option. The app itself (for offline use), the license and
 * the consent stay.
 */
export async function clearEverything(): Promise<void> {
  if (clearing.value) return;
  clearing.value = true;
  clearError.value = null;
  try {
    await discardOutput();
    for (const name of Object.values(cacheNames)) await caches.delete(name);
    const root = await navigator.storage.getDirectory();
    for (const folder of opfsFolders) {
      await root.removeEntry(folder, { recursive: true }).catch((error: unknown) => {
        if ((error as DOMException).name !== 'NotFoundError') throw error;
      });
    }
    await deleteAllNow();
    resetSwapSettings();
    resetAppSettings();
    await Promise.all([refreshImported(), refreshCache()]);
  } catch (error) {
    clearError.value = toDoppelError(error, 'STORAGE_CLEAR_FAILED');
  } finally {
    await refreshStorageUse();
    clearing.value = false;
    clearRuns.value++;
  }
}
