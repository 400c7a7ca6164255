/**
 * A Vite preview plugin that serves models from a directory outside the build, without copying them:
 * DIR/manifest.json's entries (src/shared/manifest.ts, paths relative to DIR) are listed first in the
 * served /models/manifest.json (merged with the build's own), their files are served under
 * /models/<prefix>/. Used by the neural benchmark for the 554 MB architecture swapper
 * (scripts/models/architecture.ts). Off unless DIR is given or DOPPEL_EXTRA_MODELS names it.
 */
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { join, resolve } from 'node:path';
import type { Plugin } from 'vite';
import {
  parseModelManifest,
  type ModelManifest,
  type ModelManifestEntry,
} from '../../src/shared/manifest.ts';

export const extraModelsEnv = 'DOPPEL_EXTRA_MODELS';

const readManifest = (path: string): ModelManifestEntry[] =>
  existsSync(path) ? parseModelManifest(JSON.parse(readFileSync(path, 'utf8'))).models : [];

/** DIR's entries with their paths (and emap path) under `prefix`. */
export function extraEntries(dir: string, prefix: string): ModelManifestEntry[] {
  return readManifest(join(dir, 'manifest.json')).map((entry) => ({
    ...entry,
    files: entry.files.map((file) => ({ ...file, path: `${prefix}/${file.path}` })),
    ...(entry.emap ? { emap: { ...entry.emap, path: `${prefix}/${entry.emap.path}` } } : {}),
  }));
}

/** Extra entries first, then the build's entries whose ids they do not replace. */
export function mergedManifest(buildManifest: string, dir: string, prefix: string): ModelManifest {
  const extra = extraEntries(dir, prefix);
  const ids = new Set(extra.map((entry) => entry.id));
  return { models: [...extra, ...readManifest(buildManifest).filter((entry) => !ids.has(entry.id))] };
}

/** Sends a file, honouring one `Range: bytes=a-b` (the service worker's range requests). */
function sendFile(req: IncomingMessage, res: ServerResponse, path: string): void {
  const size = statSync(path).size;
  const range = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? '');
  let [start, end] = [0, size - 1];
  if (range) {
    start = range[1] ? Number(range[1]) : size - Number(range[2]);
    end = range[1] && range[2] ? Math.min(Number(range[2]), size - 1) : size - 1;
    res.statusCode = 206;
    res.setHeader('Content-Range', `bytes ${start}-${end}/${size}`);
  }
  res.setHeader('Content-Type', 'application/octet-stream');
  res.setHeader('Content-Length', end - start + 1);
  res.setHeader('Accept-Ranges', 'bytes');
  if (req.method === 'HEAD') res.end();
  else createReadStream(path, { start, end }).pipe(res);
}

export function extraModelsPlugin(dir = process.env[extraModelsEnv], prefix = 'extra'): Plugin {
  return {
    name: 'doppel-extra-models',
    configurePreviewServer(server) {
      if (!dir) return;
      const root = resolve(dir);
      const buildManifest = resolve(server.config.root, server.config.build.outDir, 'models/manifest.json');
      server.middlewares.use((req, res, next) => {
        const path = new URL(req.url ?? '/', 'http://localhost').pathname;
        const served = new Set(
          readManifest(join(root, 'manifest.json')).flatMap((e) => e.files.map((f) => f.path)),
        );
        const file = path.startsWith(`/models/${prefix}/`) ? path.slice(`/models/${prefix}/`.length) : null;
        if (path !== '/models/manifest.json' && !(file && served.has(file))) return next();
        for (const [name, value] of Object.entries(server.config.preview.headers ?? {}))
          if (value !== undefined) res.setHeader(name, value);
        if (file) return sendFile(req, res, join(root, file));
        res.setHeader('Content-Type', 'application/json');
        res.setHeader('Cache-Control', 'no-cache');
        res.end(JSON.stringify(mergedManifest(buildManifest, root, prefix)));
      });
    },
  };
}
