/**
 * Models the operator added with `npm run models:add`: listed in public/models/operator.json (like the
 * weights themselves, gitignored: public/models/* is never committed). scripts/assets.ts merges these
 * entries into the public/models/manifest.json it writes on every build, so they survive rebuilds.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelManifest, ModelManifestEntry } from '../../src/shared/manifest.ts';

export const operatorListName = 'operator.json';
export const manifestName = 'manifest.json';

export function readOperatorModels(modelsDir: string): ModelManifestEntry[] {
  const path = join(modelsDir, operatorListName);
  if (!existsSync(path)) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`${path} is not valid JSON (${(error as Error).message}); fix or delete it`);
  }
  const models = (parsed as Partial<ModelManifest> | null)?.models;
  if (!Array.isArray(models)) throw new Error(`${path} has no "models" list; fix or delete it`);
  return models;
}

export function writeOperatorModels(modelsDir: string, models: ModelManifestEntry[]): void {
  writeFileSync(join(modelsDir, operatorListName), `${JSON.stringify({ models }, null, 2)}\n`);
}

/** Operator entries whose files are all present with the listed size; the others are reported and left out. */
export function presentOperatorModels(
  modelsDir: string,
  models: ModelManifestEntry[],
  warn: (message: string) => void,
): ModelManifestEntry[] {
  return models.filter((model) => {
    const missing = model.files.find((file) => {
      const path = join(modelsDir, file.path);
      return !existsSync(path) || statSync(path).size !== file.bytes;
    });
    if (missing) {
      warn(
        `models: leaving '${model.id}' out of the manifest: ${missing.path} is missing or has changed size`,
      );
    }
    return !missing;
  });
}

/** `base` with `extra` appended; an extra entry replaces a base entry with the same id. */
export function mergeModels(base: ModelManifestEntry[], extra: ModelManifestEntry[]): ModelManifestEntry[] {
  const ids = new Set(extra.map((model) => model.id));
  return [...base.filter((model) => !ids.has(model.id)), ...extra];
}
