/**
 * "Import model files": .onnx files a user brings (we may not redistribute the neural models), checked
 * against their role's contract (src/shared/model-contracts.ts), hashed (SHA-256) and kept in OPFS as
 * src/shared/imported-model.ts describes. OPFS is not touched by the service worker's cache clean-ups
 * and stays across reloads and offline until removed.
 */
import { DoppelError, toDoppelError } from '../../shared/errors';
import { matchContract, modelRoles, type ModelContract, type ModelRole } from '../../shared/model-contracts';
import { emapFromInitializer, OnnxReadError, readOnnxGraph } from '../../shared/onnx-graph';
import { contractWords, otherRoleWords, unreadableWords } from './model-file-words';
import { checkSpace, formatBytes } from './storage';

/** The ONNX reader's words for a file that ends before the model does (src/shared/onnx-graph.ts). */
const cutShortReason = 'the ONNX file is truncated or damaged';
import { importedModelsRoot, listImportedModels, type ImportedModel } from '../../shared/imported-model';
import { sha256Hex } from '../../shared/bytes';

export type { ImportedModel };

/** The role the user chose, or 'auto': infer it from the graph. */
export type RoleChoice = ModelRole | 'auto';

/** What each neural model enables, by contract id (the Models screen's "Enables" column). */
export const enablesByContract: Record<string, string> = {
  'detector/scrfd_10g': 'Neural engine: face detection (SCRFD)',
  'embedder/arcface_w600k_r50': 'Neural engine: face identity',
  'swapper/inswapper_128': 'Neural engine: face swap',
  'enhancer/gfpgan_1.4': 'Face restoration',
  'masker/xseg_occlusion': 'Occlusion mask',
  'masker/bisenet_region': 'Region mask',
};

export const importedEnables = (model: ImportedModel): string =>
  enablesByContract[model.contract] ?? model.role;

async function root(create: boolean): Promise<FileSystemDirectoryHandle | null> {
  const dir = await importedModelsRoot(create);
  if (!dir && create) {
    throw new DoppelError(
      'MODEL_LOAD_FAILED',
      'This browser cannot keep imported model files (no origin private file system). Use a current Chrome, Edge, Firefox or Safari, outside private browsing.',
    );
  }
  return dir;
}

export const listImported = listImportedModels;

/**
 * Writes one file. A write that fails (a full disk: QuotaExceededError) aborts the stream and throws
 * its own error: closing the errored stream would throw another one and hide it.
 */
async function writeFile(dir: FileSystemDirectoryHandle, name: string, data: BufferSource | string) {
  const writable = await (await dir.getFileHandle(name, { create: true })).createWritable();
  try {
    await writable.write(data);
  } catch (error) {
    await writable.abort().catch(() => undefined);
    throw error;
  }
  await writable.close();
}

async function removeFiles(dir: FileSystemDirectoryHandle, sha256: string): Promise<void> {
  // Metadata first: an entry whose files are partly gone is never listed.
  for (const suffix of ['.json', '.onnx', '.emap.bin']) {
    await dir.removeEntry(`${sha256}${suffix}`).catch(() => undefined);
  }
}

/** Deletes an imported model's files from this browser. */
export async function removeImported(model: ImportedModel): Promise<void> {
  const dir = await root(false);
  if (dir) await removeFiles(dir, model.sha256);
}

/** A refusal: `words` for the user (what the file is, what was expected), the reader's own `reason` in details. */
const refused = (code: 'MODEL_CONTRACT' | 'MODEL_UNREADABLE', file: string, words: string, reason: string) =>
  new DoppelError(code, words, { file, reason });

/** The differences matchContract lists, without its "does not fit the <role> contract: " lead. */
const differences = (error: string) => error.replace(/^does not fit the \w+ contract: /, '');

/**
 * The contract the graph fits for the chosen role; with 'auto', the one role whose contract it fits.
 * A file that fits several roles asks for the role (MODEL_CONTRACT naming them).
 */
function contractFor(
  fileName: string,
  choice: RoleChoice,
  signature: ReturnType<typeof readOnnxGraph>['signature'],
): ModelContract {
  const fits = modelRoles.flatMap((role) => {
    const match = matchContract(role, signature);
    return 'contract' in match ? [match.contract] : [];
  });
  if (choice !== 'auto') {
    const match = matchContract(choice, signature);
    if ('contract' in match) return match.contract;
    const other = fits[0];
    const words = other
      ? otherRoleWords(fileName, choice, other.role)
      : contractWords(fileName, choice, differences(match.error));
    throw refused('MODEL_CONTRACT', fileName, words, match.error);
  }
  const [only] = fits;
  if (fits.length === 1 && only) return only;
  if (fits.length > 1) {
    const roles = fits.map((c) => c.role).join(', ');
    throw refused(
      'MODEL_CONTRACT',
      fileName,
      `${fileName} fits several roles (${roles}). Choose its role in "Role" and import it again. Nothing was installed.`,
      `fits ${roles}`,
    );
  }
  const inputs = signature.inputs.map((t) => `${t.name} [${(t.shape ?? []).join(',')}]`).join(', ');
  throw refused(
    'MODEL_CONTRACT',
    fileName,
    contractWords(
      fileName,
      null,
      `its inputs (${inputs}) fit none of them; choose its role in "Role" to see what differs`,
    ),
    `inputs ${inputs} fit no contract`,
  );
}

/**
 * Checks one .onnx file and keeps it in this browser. Refusals (nothing is written): MODEL_UNREADABLE
 * for a file that is not a complete ONNX model, MODEL_CONTRACT for one that does not fit its role
 * (for a swapper also when its last initializer is not the 512x512 emap).
 */
export async function importModelFile(file: File, choice: RoleChoice): Promise<ImportedModel> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let graph;
  try {
    if (bytes.byteLength === 0) throw new OnnxReadError('the file is empty');
    graph = readOnnxGraph(bytes);
  } catch (error) {
    if (!(error instanceof OnnxReadError)) throw error;
    const cut = error.message === cutShortReason;
    throw refused('MODEL_UNREADABLE', file.name, unreadableWords(file.name, bytes, cut), error.message);
  }
  const contract = contractFor(file.name, choice, graph.signature);
  let emap: Uint8Array<ArrayBuffer> | null = null;
  if (contract.role === 'swapper') {
    try {
      emap = emapFromInitializer(graph.lastInitializer);
    } catch (error) {
      if (error instanceof OnnxReadError) {
        const words = contractWords(file.name, 'swapper', error.message);
        throw refused('MODEL_CONTRACT', file.name, words, error.message);
      }
      throw error;
    }
  }
  const total = bytes.byteLength + (emap?.byteLength ?? 0);
  const space = await checkSpace(total);
  if (!space.ok) {
    throw new DoppelError(
      'STORAGE_FULL',
      `${file.name}: not enough storage space: it needs ${formatBytes(space.needed)} but only ` +
        `${formatBytes(space.available ?? 0)} is free for this site. Free up disk space, then import it again.`,
    );
  }
  const sha256 = await sha256Hex(bytes);
  const model: ImportedModel = {
    id: `imported-${sha256.slice(0, 16)}`,
    name: file.name,
    role: contract.role,
    contract: contract.id,
    bytes: bytes.byteLength,
    sha256,
    license: { ...contract.license },
    emap: emap !== null,
    requires: graph.float16 ? ['shader-f16'] : [],
    importedAt: new Date().toISOString(),
  };
  const dir = (await root(true))!;
  try {
    await writeFile(dir, `${sha256}.onnx`, bytes);
    if (emap) await writeFile(dir, `${sha256}.emap.bin`, emap);
    await writeFile(dir, `${sha256}.json`, JSON.stringify(model));
  } catch (error) {
    await removeFiles(dir, sha256);
    if ((error as DOMException).name === 'QuotaExceededError') {
      throw new DoppelError(
        'STORAGE_FULL',
        `${file.name}: this site's storage quota is exceeded, so it could not be kept. Nothing was installed; free up disk space (or remove models you no longer use), then import it again.`,
      );
    }
    throw toDoppelError(error, 'MODEL_LOAD_FAILED');
  }
  return model;
}
