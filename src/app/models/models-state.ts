import { signal } from '@preact/signals';
import { DoppelError, toDoppelError } from '../../shared/errors';
import {
  cachedFiles,
  deleteModelFiles,
  downloadFile,
  loadManifest,
  resumableBytes,
  totalBytes,
  type ModelEntry,
} from './model-files';
import { checkSpace, formatBytes, persistentStorage } from './storage';

/** The manifest's models, null until loaded. */
export const models = signal<ModelEntry[] | null>(null);
export const loadError = signal<DoppelError | null>(null);
/** Paths of the model files the models cache holds. */
export const cachedPaths = signal<ReadonlySet<string>>(new Set());
/** The last error of each model's download, by model id. */
export const modelErrors = signal<Readonly<Record<string, DoppelError>>>({});
/** Bytes of the running "make available offline" download, null when none runs. */
export const downloadProgress = signal<{ done: number; total: number } | null>(null);
/** Bytes that interrupted downloads received; the next "make available offline" continues from there. */
export const resumable = signal(0);
/** Why a download did not start (not enough space), in words with the numbers. */
export const spaceProblem = signal<DoppelError | null>(null);
/** Whether storage is persistent; null when unknown (not asked yet or not supported). */
export const persistent = signal<boolean | null>(null);

let running: AbortController | null = null;

/** What each model lets the app do, by model id (then by role). */
const enablesById: Record<string, string> = {
  'human-face': 'Built-in engine: face detection and face mesh',
  'human-hand': 'Both engines: hands in front of a face stay in front',
  'human-faceres': 'Choosing faces by likeness: reference mode and face mapping',
};
const enablesByRole: Record<string, string> = {
  detector: 'Face detection',
  swapper: 'Neural engine: face swap',
  embedder: 'Neural engine: face identity',
  restorer: 'Face restoration',
};

export function enables(model: ModelEntry): string {
  return enablesById[model.id] ?? enablesByRole[model.role] ?? model.role;
}

export async function refreshCache(): Promise<void> {
  const list = models.value;
  if (!list) return;
  const files = list.flatMap((m) => m.files);
  cachedPaths.value = await cachedFiles(files);
  resumable.value = resumableBytes(files);
}

export const isAvailableOffline = (model: ModelEntry, cached: ReadonlySet<string>): boolean =>
  model.files.every((file) => cached.has(file.path));

/** Loads the manifest, what the cache holds and whether storage is persistent. */
export async function loadModels(): Promise<void> {
  try {
    models.value = (await loadManifest()).models;
    loadError.value = null;
    await refreshCache();
  } catch (error) {
    loadError.value = toDoppelError(error, 'MODEL_LOAD_FAILED');
  }
  persistent.value = await persistentStorage(false).catch(() => null);
}

function setModelError(id: string, error: DoppelError | null): void {
  const next = { ...modelErrors.value };
  if (error) next[id] = error;
  else delete next[id];
  modelErrors.value = next;
}

export async function deleteModel(model: ModelEntry): Promise<void> {
  setModelError(model.id, null);
  await deleteModelFiles(model);
  await refreshCache();
}

/**
 * Downloads every model file missing from the cache, after checking that the storage quota has
 * room for it (+10%) and asking once for persistent storage. Each file is cached only once its
 * SHA-256 matches; a model whose file does not match shows MODEL_CORRUPT and is skipped. A file that
 * an earlier, interrupted run (Cancel, a dropped connection) partly received continues from there.
 */
export async function makeAllAvailableOffline(): Promise<void> {
  const list = models.value;
  if (!list || running) return;
  await refreshCache();
  const cached = cachedPaths.value;
  const missing = list
    .map((model) => ({ model, files: model.files.filter((file) => !cached.has(file.path)) }))
    .filter((entry) => entry.files.length > 0);
  const total = totalBytes(missing.flatMap((entry) => entry.files));
  spaceProblem.value = null;
  if (total === 0) return;

  const space = await checkSpace(total);
  if (!space.ok) {
    spaceProblem.value = new DoppelError(
      'STORAGE_FULL',
      `Not enough storage space: the models need ${formatBytes(space.needed)} ` +
        `(${formatBytes(total)} plus a 10% margin), but only ${formatBytes(space.available ?? 0)} is free ` +
        'for this site. Free up disk space or delete other site data, then try again.',
    );
    return;
  }
  persistent.value = await persistentStorage(true).catch(() => null);

  const job = new AbortController();
  running = job;
  // Files that an interrupted download left partly received continue from there.
  downloadProgress.value = { done: resumableBytes(missing.flatMap((entry) => entry.files)), total };
  const progressed = (bytes: number) => {
    const now = downloadProgress.value;
    if (now && running === job) downloadProgress.value = { done: now.done + bytes, total };
  };
  try {
    for (const { model, files } of missing) {
      setModelError(model.id, null);
      try {
        for (const file of files) {
          await downloadFile(file, job.signal, progressed);
          await refreshCache();
        }
      } catch (error) {
        const failure = toDoppelError(error, 'MODEL_LOAD_FAILED');
        if (failure.code === 'CANCELLED') throw failure;
        setModelError(model.id, failure);
      }
    }
  } catch (error) {
    if (!(error instanceof DoppelError && error.code === 'CANCELLED')) throw error;
  } finally {
    if (running === job) running = null;
    downloadProgress.value = null;
    await refreshCache();
  }
}

export function cancelDownload(): void {
  running?.abort();
}
