/** public/models/manifest.json: every model file we serve, with its size and SHA-256. */
export interface ModelManifest {
  models: ModelManifestEntry[];
}

export interface ModelManifestFile {
  /** Relative to the model base URL (public/models/). */
  path: string;
  bytes: number;
  sha256: string;
}

export interface ModelManifestEntry {
  id: string;
  /** 'detector' | 'embedder' | 'swapper' | 'enhancer' | 'masker' (ModelRole in model-contracts.ts). */
  role: string;
  name: string;
  /** License name. */
  license: string;
  /** Every file of the model, the emap included. */
  files: ModelManifestFile[];
  /** Id of the input/output contract the file was checked against (model-contracts.ts). */
  contract?: string;
  licenseUrl?: string;
  /** GPU features the model needs, e.g. ['shader-f16'] for fp16 files. */
  requires?: string[];
  /** Id of a model to use instead when `requires` is not met (the fp32 copy of an fp16 file). */
  fallback?: string;
  /**
   * Swappers: the 512x512 emap (the graph's last initializer), stored as raw little-endian float32
   * in `path` (also listed in `files`), so the latent is computed without parsing the ONNX file.
   */
  emap?: { path: string; rows: number; cols: number };
  /** Added by the operator (`npm run models:add`), kept in public/models/operator.json. */
  operator?: boolean;
}
