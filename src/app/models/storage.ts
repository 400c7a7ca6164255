/** Free space asked for on top of a download's size. */
export const spaceMargin = 0.1;

export interface SpaceCheck {
  ok: boolean;
  /** Bytes the download needs, with the margin. */
  needed: number;
  /** quota − usage, or null when the browser does not say. */
  available: number | null;
}

/** Whether the origin's storage quota leaves room for `bytes` (+10%), from `navigator.storage.estimate()`. */
export async function checkSpace(bytes: number): Promise<SpaceCheck> {
  const needed = Math.ceil(bytes * (1 + spaceMargin));
  if (!navigator.storage?.estimate) return { ok: true, needed, available: null };
  const { quota, usage } = await navigator.storage.estimate();
  if (quota === undefined) return { ok: true, needed, available: null };
  const available = Math.max(0, quota - (usage ?? 0));
  return { ok: available >= needed, needed, available };
}

/** 1.5 MB, 312 kB, 900 B (decimal units, as browsers show sizes). */
export function formatBytes(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(2)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  if (bytes >= 1e3) return `${Math.round(bytes / 1e3)} kB`;
  return `${bytes} B`;
}

const askedKey = 'doppel.persist-asked';

/**
 * Whether the browser keeps this origin's storage under pressure (persistent). Asks with
 * `navigator.storage.persist()` only once per browser; afterwards it only reads `persisted()`.
 */
export async function persistentStorage(ask: boolean): Promise<boolean | null> {
  if (!navigator.storage?.persisted) return null;
  if (await navigator.storage.persisted()) return true;
  if (!ask || localStorage.getItem(askedKey)) return false;
  localStorage.setItem(askedKey, new Date().toISOString());
  return navigator.storage.persist();
}
