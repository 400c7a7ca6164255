import type { ModelRole } from './model-contracts';

/**
 * A model file the user imported on the Models screen, kept in the origin private file system (OPFS)
 * under `importedModelsDirectory`: `<sha256>.onnx`, a swapper's emap as `<sha256>.emap.bin` (raw
 * little-endian float32 512x512) and this record as `<sha256>.json`, written last. The app writes
 * them (src/app/models/imported-models.ts); the engine worker reads them (src/workers/neural).
 */
export interface ImportedModel {
  /** `imported-<first 16 hex digits of the SHA-256>`. */
  id: string;
  /** The imported file's name. */
  name: string;
  role: ModelRole;
  /** The contract it fits (src/shared/model-contracts.ts). */
  contract: string;
  bytes: number;
  sha256: string;
  /** The reference model's license: the user states their own file's terms. */
  license: { name: string; url: string };
  /** Whether `<sha256>.emap.bin` holds the swapper's emap. */
  emap: boolean;
  /** GPU features it needs: ['shader-f16'] for an fp16 copy (absent in records written before). */
  requires?: string[];
  importedAt: string;
}

export const importedModelsDirectory = 'imported-models';

/** The directory of imported models, or null when there is none (or no OPFS) and `create` is false. */
export async function importedModelsRoot(create: boolean): Promise<FileSystemDirectoryHandle | null> {
  if (!navigator.storage?.getDirectory) return null;
  const opfs = await navigator.storage.getDirectory();
  try {
    return await opfs.getDirectoryHandle(importedModelsDirectory, { create });
  } catch (error) {
    if (!create && (error as DOMException).name === 'NotFoundError') return null;
    throw error;
  }
}

async function fileNames(dir: FileSystemDirectoryHandle): Promise<string[]> {
  const names: string[] = [];
  for await (const name of (dir as unknown as { keys(): AsyncIterable<string> }).keys()) names.push(name);
  return names;
}

/** The imported models kept in this browser, oldest first; half-written entries are not listed. */
export async function listImportedModels(): Promise<ImportedModel[]> {
  const dir = await importedModelsRoot(false);
  if (!dir) return [];
  const models: ImportedModel[] = [];
  for (const name of await fileNames(dir)) {
    if (!name.endsWith('.json')) continue;
    try {
      const file = await (await dir.getFileHandle(name)).getFile();
      models.push(JSON.parse(await file.text()) as ImportedModel);
    } catch {
      // A half-written entry (the tab closed mid-import) is not listed.
    }
  }
  return models.sort((a, b) => a.importedAt.localeCompare(b.importedAt));
}
