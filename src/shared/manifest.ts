import * as z from 'zod/mini';
import { DoppelError } from './errors';

/**
 * public/models/manifest.json: every model file we serve, with its size and SHA-256. One schema for
 * the app, the engine worker, the service worker and the scripts that write it (zod/mini: the
 * service worker carries a few kB of it, not all of zod).
 */

const modelManifestFile = z.object({
  /** Relative to the model base URL (public/models/). */
  path: z.string().check(z.minLength(1)),
  bytes: z.int().check(z.nonnegative()),
  sha256: z.string().check(z.regex(/^[0-9a-f]{64}$/, 'expected a lower-case hex SHA-256')),
});

const modelManifestEntry = z.object({
  id: z.string().check(z.minLength(1)),
  /** 'detector' | 'embedder' | 'swapper' | 'enhancer' | 'masker' (ModelRole in model-contracts.ts). */
  role: z.string(),
  name: z.string(),
  /** License name. */
  license: z.string(),
  /** Every file of the model, the emap included. */
  files: z.array(modelManifestFile),
  /** Id of the input/output contract the file was checked against (model-contracts.ts). */
  contract: z.optional(z.string()),
  licenseUrl: z.optional(z.string()),
  /** GPU features the model needs, e.g. ['shader-f16'] for fp16 files. */
  requires: z.optional(z.array(z.string())),
  /** Id of a model to use instead when `requires` is not met (the fp32 copy of an fp16 file). */
  fallback: z.optional(z.string()),
  /**
   * Swappers: the 512x512 emap (the graph's last initializer), stored as raw little-endian float32
   * in `path` (also listed in `files`), so the latent is computed without parsing the ONNX file.
   */
  emap: z.optional(
    z.object({ path: z.string(), rows: z.int().check(z.gte(1)), cols: z.int().check(z.gte(1)) }),
  ),
  /** Added by the operator (`npm run models:add`), kept in public/models/operator.json. */
  operator: z.optional(z.boolean()),
});

export const modelManifestSchema = z.object({ models: z.array(modelManifestEntry) });

export type ModelManifest = z.infer<typeof modelManifestSchema>;
export type ModelManifestEntry = ModelManifest['models'][number];
export type ModelManifestFile = ModelManifestEntry['files'][number];

/** A parsed manifest.json checked against the schema; MODEL_LOAD_FAILED saying what is wrong. */
export function parseModelManifest(json: unknown): ModelManifest {
  const parsed = modelManifestSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  throw new DoppelError(
    'MODEL_LOAD_FAILED',
    `The model list (models/manifest.json) is malformed, so no model can be checked: ${z.prettifyError(parsed.error)}. Reload the page; if it stays, the site's operator must fix the file.`,
    { problem: z.prettifyError(parsed.error) },
  );
}

/** Fetches manifest.json from `url` and checks it: MODEL_LOAD_FAILED when it is missing or malformed. */
export async function fetchModelManifest(url: URL | string): Promise<ModelManifest> {
  const response = await fetch(url);
  if (!response.ok) throw new DoppelError('MODEL_LOAD_FAILED', undefined, { status: response.status });
  const json: unknown = await response.json().catch(() => null);
  return parseModelManifest(json);
}
