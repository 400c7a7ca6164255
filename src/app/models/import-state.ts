/**
 * The state of "Import model files": what is imported, what the last import did with each file, and
 * the import itself (one file after another, a refused file leaving the others as they were).
 */
import { signal } from '@preact/signals';
import { toDoppelError, type DoppelError } from '../../shared/errors';
import {
  importModelFile,
  listImported,
  removeImported,
  type ImportedModel,
  type RoleChoice,
} from './imported-models';
import { recognitionWords, releaseOf } from './release-words';
import { persistentStorage } from './storage';

/** What the last import did with one file. */
export type ImportResult =
  | { file: string; state: 'installed'; words: string; release: string | null }
  | { file: string; state: 'refused'; error: DoppelError };

/** Models imported into this browser; null until read. */
export const importedModels = signal<ImportedModel[] | null>(null);
/** Why the last import refused files, one error per file. */
export const importErrors = signal<readonly DoppelError[]>([]);
/** Each file of the last import, in order, installed or refused. */
export const importResults = signal<readonly ImportResult[]>([]);
export const importing = signal(false);
export const roleChoice = signal<RoleChoice>('auto');
/** How many imports finished on this page (tests wait for it to move). */
export const importRuns = signal(0);

export async function refreshImported(): Promise<void> {
  try {
    importedModels.value = await listImported();
  } catch (error) {
    importedModels.value = [];
    importErrors.value = [toDoppelError(error, 'MODEL_LOAD_FAILED')];
  }
}

async function importOne(file: File): Promise<ImportResult> {
  try {
    const model = await importModelFile(file, roleChoice.value);
    const release = releaseOf(model);
    return {
      file: file.name,
      state: 'installed',
      words: recognitionWords(model),
      release: release?.sha256 ?? null,
    };
  } catch (error) {
    return { file: file.name, state: 'refused', error: toDoppelError(error, 'MODEL_LOAD_FAILED') };
  }
}

/** Imports each file in turn; a refused file leaves everything already installed as it was. */
export async function importFiles(files: readonly File[]): Promise<void> {
  if (importing.value || files.length === 0) return;
  importing.value = true;
  importResults.value = [];
  const results: ImportResult[] = [];
  try {
    for (const file of files) {
      results.push(await importOne(file));
      importResults.value = [...results];
    }
    if (results.some((r) => r.state === 'installed')) await persistentStorage(true).catch(() => null);
  } finally {
    importErrors.value = results.flatMap((r) => (r.state === 'refused' ? [r.error] : []));
    importing.value = false;
    await refreshImported();
    importRuns.value++;
  }
}

export async function removeImportedModel(model: ImportedModel): Promise<void> {
  importErrors.value = [];
  importResults.value = [];
  await removeImported(model);
  await refreshImported();
}
