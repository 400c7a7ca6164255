import * as z from 'zod/mini';
import { modelRoles } from './model-contracts';

/**
 * A model file the user imported on the Models screen, kept in the origin private file system (OPFS)
 * under `importedModelsDirectory`: `<sha256>.onnx`, a swapper's emap as `<sha256>.emap.bin` (raw
 * little-endian float32 512x512) and this record as `<sha256>.json`, written last. The app writes
 * them (src/app/models/imported-models.ts); the engine worker reads them (src/workers/neural).
 */
const importedModelSchema = z.object({
  /** `imported-<first 16 hex digits of the SHA-256>`. */
  id: z.string().check(z.minLength(1)),
  /** The imported file's name. */
  name: z.string(),
  role: z.enum(modelRoles),
  /** The contract it fits (src/shared/model-contracts.ts). */
  contract: z.string(),
  bytes: z.int().check(z.nonnegative()),
  sha256: z.string().check(z.regex(/^[0-9a-f]{64}$/)),
  /** The reference model's license: the user states their own file's terms. */
  license: z.object({ name: z.string(), url: z.string() }),
  /** Whether `<sha256>.emap.bin` holds the swapper's emap. */
  emap: z.boolean(),
  /** GPU features it needs: ['shader-f16'] for an fp16 copy (absent in records written before). */
  requires: z.optional(z.array(z.string())),
  importedAt: z.string(),
});

export type ImportedModel = z.infer<typeof importedModelSchema>;

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
      const record = importedModelSchema.safeParse(JSON.parse(await file.text()));
      // A half-written or damaged record (the tab closed mid-import) is not listed.
      if (record.success) models.push(record.data);
    } catch {
      // Not JSON: half-written too.
    }
  }
  return models.sort((a, b) => a.importedAt.localeCompare(b.importedAt));
}
