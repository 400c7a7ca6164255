/**
 * The neural models this browser can use: the operator's (public/models, listed in the model manifest
 * with their contract) and the user's imports (OPFS). Each is checked against its SHA-256 when loaded.
 */
import { DoppelError } from '../../shared/errors';
import { importedModelsRoot, listImportedModels, type ImportedModel } from '../../shared/imported-model';
import type { ModelManifestEntry } from '../../shared/manifest';
import { findContract, isModelRole, type ModelRole } from '../../shared/model-contracts';
import { sha256Hex } from '../../shared/bytes';
import { fetchManifest, fetchVerified } from '../engine/model-integrity';

export interface ModelBytes {
  onnx: Uint8Array<ArrayBuffer>;
  /** The swapper's 512x512 emap, row-major. */
  emap: Float32Array | null;
}

export interface InstalledModel {
  id: string;
  name: string;
  role: ModelRole;
  contract: string;
  from: 'operator' | 'imported';
  /** GPU features the file needs (fp16 files: shader-f16). */
  requires: readonly string[];
  /** The model to use instead when `requires` is not met. */
  fallback: string | null;
  load(): Promise<ModelBytes>;
}

function emapOf(bytes: ArrayBuffer, name: string): Float32Array {
  if (bytes.byteLength !== 512 * 512 * 4) {
    throw new DoppelError(
      'MODEL_CORRUPT',
      `${name}: its emap has ${bytes.byteLength} bytes, expected ${512 * 512 * 4}. Add or import the model again.`,
    );
  }
  return new Float32Array(bytes);
}

function operatorModel(entry: ModelManifestEntry, modelBaseUrl: string): InstalledModel | null {
  const contract = entry.contract ? findContract(entry.contract) : undefined;
  const onnx = entry.files.find((file) => file.path.endsWith('.onnx'));
  if (!contract || !onnx || !isModelRole(entry.role)) return null;
  const emapFile = entry.emap && entry.files.find((file) => file.path === entry.emap?.path);
  return {
    id: entry.id,
    name: entry.name,
    role: entry.role,
    contract: contract.id,
    from: 'operator',
    requires: entry.requires ?? [],
    fallback: entry.fallback ?? null,
    load: async () => ({
      onnx: new Uint8Array(await fetchVerified(modelBaseUrl, onnx)),
      emap: emapFile ? emapOf(await fetchVerified(modelBaseUrl, emapFile), entry.name) : null,
    }),
  };
}

async function readImported(model: ImportedModel, suffix: string): Promise<ArrayBuffer> {
  const dir = await importedModelsRoot(false);
  try {
    if (!dir) throw new DOMException('no directory', 'NotFoundError');
    return await (await (await dir.getFileHandle(`${model.sha256}${suffix}`)).getFile()).arrayBuffer();
  } catch (error) {
    throw new DoppelError(
      'MODEL_LOAD_FAILED',
      `${model.name} could not be read from this browser's storage (${(error as Error).message}). Remove it on the Models screen and import it again.`,
    );
  }
}

function importedModel(model: ImportedModel): InstalledModel {
  return {
    id: model.id,
    name: model.name,
    role: model.role,
    contract: model.contract,
    from: 'imported',
    requires: model.requires ?? [],
    fallback: null,
    load: async () => {
      const onnx = new Uint8Array(await readImported(model, '.onnx'));
      if (onnx.byteLength !== model.bytes || (await sha256Hex(onnx)) !== model.sha256) {
        throw new DoppelError(
          'MODEL_CORRUPT',
          `${model.name} no longer matches the SHA-256 recorded when it was imported: the stored copy is damaged. Remove it on the Models screen and import the file again.`,
          { id: model.id },
        );
      }
      return { onnx, emap: model.emap ? emapOf(await readImported(model, '.emap.bin'), model.name) : null };
    },
  };
}

/** Every installed neural model: the user's imports (newest first), then the operator's. */
export async function installedModels(modelBaseUrl: string): Promise<InstalledModel[]> {
  const manifest = await fetchManifest(modelBaseUrl);
  const operator = manifest.models
    .map((entry) => operatorModel(entry, modelBaseUrl))
    .filter((model): model is InstalledModel => model !== null);
  const imported = (await listImportedModels()).reverse().map(importedModel);
  return [...imported, ...operator];
}

/**
 * The model to use for a contract: the first installed one whose GPU needs the device meets (on WASM,
 * `features` is empty, so an fp16 file gives way), or the fallback it names (an fp16 file's fp32 copy).
 */
export function pickModel(
  models: readonly InstalledModel[],
  contract: string,
  features: ReadonlySet<string>,
): InstalledModel | null {
  for (const model of models.filter((m) => m.contract === contract)) {
    if (model.requires.every((feature) => features.has(feature))) return model;
    const fallback = models.find((m) => m.id === model.fallback);
    if (fallback) return fallback;
  }
  return null;
}
