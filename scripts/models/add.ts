/**
 * npm run models:add -- FILE --role swapper|embedder|detector|enhancer|masker [--id ID] [--name NAME]
 *   [--license NAME --license-url URL] [--fallback ID] [--models-dir DIR]
 *
 * Checks FILE's graph inputs and outputs against the role's contract (src/shared/model-contracts.ts),
 * copies it to <models-dir>/<role>/, extracts the emap of a swapper to <file>.emap.bin, and records
 * size and SHA-256 of each in <models-dir>/operator.json (kept across builds, see operator.ts) and in
 * <models-dir>/manifest.json. Exit 0 on success, 1 when the file is refused (one line saying why),
 * 2 on a usage error.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import {
  parseModelManifest,
  type ModelManifest,
  type ModelManifestEntry,
  type ModelManifestFile,
} from '../../src/shared/manifest.ts';
import { isModelRole, matchContract, modelRoles, type ModelRole } from '../../src/shared/model-contracts.ts';
import { emapFromModel, emapSize } from './emap.ts';
import { DataType, decodeModel, graphSignature, OnnxReadError } from './onnx.ts';
import { manifestName, mergeModels, readOperatorModels, writeOperatorModels } from './operator.ts';

export interface AddOptions {
  file: string;
  role: ModelRole;
  modelsDir: string;
  id?: string;
  name?: string;
  license?: string;
  licenseUrl?: string;
  fallback?: string;
}

/** The file is refused: exit 1 with this message. */
export class AddError extends Error {}

const builtInIds = ['human-face', 'human-hand', 'human-faceres'];

function describe(bytes: Uint8Array, path: string): ModelManifestFile {
  return { path, bytes: bytes.byteLength, sha256: createHash('sha256').update(bytes).digest('hex') };
}

/** Checks, copies and lists one model; returns its manifest entry. */
export function addModel(options: AddOptions): ModelManifestEntry {
  const { file, role, modelsDir } = options;
  if (!existsSync(file)) throw new AddError(`${file}: no such file`);
  const bytes = new Uint8Array(readFileSync(file));
  if (bytes.byteLength === 0) throw new AddError(`${file}: the file is empty`);
  let model;
  try {
    model = decodeModel(bytes);
  } catch (error) {
    if (error instanceof OnnxReadError) throw new AddError(`${file}: ${error.message}`);
    throw error;
  }
  const match = matchContract(role, graphSignature(model));
  if ('error' in match) throw new AddError(`${file} ${match.error}`);

  const fileName = basename(file);
  const id =
    options.id ??
    fileName
      .replace(/\.onnx$/i, '')
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, '-');
  if (builtInIds.includes(id))
    throw new AddError(`the id '${id}' belongs to a built-in model; pass another --id`);
  let emap: Uint8Array | undefined;
  if (role === 'swapper') {
    try {
      emap = emapFromModel(model);
    } catch (error) {
      if (error instanceof OnnxReadError) throw new AddError(`${file}: ${error.message}`);
      throw error;
    }
  }

  const relative = `${role}/${fileName}`;
  mkdirSync(join(modelsDir, role), { recursive: true });
  writeFileSync(join(modelsDir, relative), bytes);
  const files = [describe(bytes, relative)];
  const entry: ModelManifestEntry = {
    id,
    role,
    name: options.name ?? id,
    license:
      options.license ?? `${match.contract.license.name} (license of the reference model; check yours)`,
    licenseUrl: options.licenseUrl ?? (options.license ? undefined : match.contract.license.url),
    files,
    contract: match.contract.id,
    operator: true,
  };
  if (!entry.licenseUrl) delete entry.licenseUrl;
  if (emap) {
    const emapPath = `${relative}.emap.bin`;
    writeFileSync(join(modelsDir, emapPath), emap);
    files.push(describe(emap, emapPath));
    entry.emap = { path: emapPath, rows: emapSize, cols: emapSize };
  }
  const initializers = model.graph?.initializer ?? [];
  if (initializers.some((tensor) => tensor.data_type === DataType.FLOAT16)) entry.requires = ['shader-f16'];
  if (options.fallback) entry.fallback = options.fallback;

  writeOperatorModels(modelsDir, mergeModels(readOperatorModels(modelsDir), [entry]));
  const manifestPath = join(modelsDir, manifestName);
  const manifest: ModelManifest = existsSync(manifestPath)
    ? parseModelManifest(JSON.parse(readFileSync(manifestPath, 'utf8')))
    : { models: [] };
  manifest.models = mergeModels(manifest.models, [entry]);
  writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  return entry;
}

const usage = `usage: npm run models:add -- FILE --role ${modelRoles.join('|')} [--id ID] [--name NAME] [--license NAME --license-url URL] [--fallback ID]`;

/** The command line; returns the exit code. */
export function main(
  argv: string[],
  out: (line: string) => void = console.log,
  err: (line: string) => void = console.error,
): number {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        role: { type: 'string' },
        id: { type: 'string' },
        name: { type: 'string' },
        license: { type: 'string' },
        'license-url': { type: 'string' },
        fallback: { type: 'string' },
        'models-dir': { type: 'string', default: 'public/models' },
      },
    });
  } catch (error) {
    err(`models:add: ${(error as Error).message}\n${usage}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const file = positionals[0];
  if (!file || positionals.length > 1 || !values.role || !isModelRole(values.role)) {
    err(`models:add: ${!file || positionals.length > 1 ? 'give exactly one FILE' : 'give --role'}\n${usage}`);
    return 2;
  }
  try {
    const entry = addModel({
      file,
      role: values.role,
      modelsDir: values['models-dir'],
      id: values.id,
      name: values.name,
      license: values.license,
      licenseUrl: values['license-url'],
      fallback: values.fallback,
    });
    out(JSON.stringify({ id: entry.id, role: entry.role, contract: entry.contract, files: entry.files }));
    return 0;
  } catch (error) {
    if (!(error instanceof AddError)) throw error;
    err(`models:add: ${error.message}`);
    return 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = main(process.argv.slice(2));
}
