import { openDB, type DBSchema, type IDBPDatabase } from 'idb';

/** IndexedDB database and store holding the kept results (only when the user opted in). */
export const historyDb = { name: 'doppel-history', store: 'results' } as const;

export interface KeptResult {
  id: number;
  /** When the swap finished (ms since the epoch). */
  createdAt: number;
  /** The target photo's file name. */
  name: string;
  width: number;
  height: number;
  png: Blob;
}

interface HistorySchema extends DBSchema {
  results: { key: number; value: KeptResult; indexes: { createdAt: number } };
}

let opened: Promise<IDBPDatabase<HistorySchema>> | null = null;

function db(): Promise<IDBPDatabase<HistorySchema>> {
  opened ??= openDB<HistorySchema>(historyDb.name, 1, {
    upgrade(database) {
      const store = database.createObjectStore(historyDb.store, { keyPath: 'id', autoIncrement: true });
      store.createIndex('createdAt', 'createdAt');
    },
  });
  return opened;
}

export async function addResult(entry: Omit<KeptResult, 'id'>): Promise<void> {
  // The key is generated (autoIncrement), so the entry goes in without one.
  await (await db()).add(historyDb.store, entry as KeptResult);
}

/** Every kept result, newest first. */
export async function listResults(): Promise<KeptResult[]> {
  return (await (await db()).getAllFromIndex(historyDb.store, 'createdAt')).reverse();
}

export async function deleteResult(id: number): Promise<void> {
  await (await db()).delete(historyDb.store, id);
}

export async function deleteAllResults(): Promise<void> {
  await (await db()).clear(historyDb.store);
}

/** Deletes the results kept before `cutoff` (ms since the epoch). */
export async function deleteOlderThan(cutoff: number): Promise<void> {
  const tx = (await db()).transaction(historyDb.store, 'readwrite');
  let cursor = await tx.store.index('createdAt').openCursor(IDBKeyRange.upperBound(cutoff, true));
  while (cursor) {
    await cursor.delete();
    cursor = await cursor.continue();
  }
  await tx.done;
}
