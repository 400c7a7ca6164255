/** public/models/manifest.json: every model file we serve, with its size and SHA-256. */
export interface ModelManifest {
  models: {
    id: string;
    role: string;
    name: string;
    license: string;
    files: { path: string; bytes: number; sha256: string }[];
  }[];
}
