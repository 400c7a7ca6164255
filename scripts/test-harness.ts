import { createReadStream, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, extname, join, normalize, resolve } from 'node:path';
import type { Plugin, Rolldown } from 'vite';

type OutputBundle = Rolldown.OutputBundle;

/**
 * Where the build puts the test harness (automation.html, which sets `window.doppel` for the swap CLI,
 * the benchmarks and the browser tests, with the code only it runs): beside dist/, never in it.
 */
export const harnessDir = '.cache/harness';
const harnessPage = 'automation.html';
const harnessEntry = 'automation';

/** The chunks an entry loads, statically or dynamically, itself included. */
function reachable(bundle: OutputBundle, from: string[]): Set<string> {
  const seen = new Set<string>();
  const queue = [...from];
  for (let name = queue.pop(); name !== undefined; name = queue.pop()) {
    const chunk = bundle[name];
    if (seen.has(name) || chunk?.type !== 'chunk') continue;
    seen.add(name);
    queue.push(...chunk.imports, ...chunk.dynamicImports);
  }
  return seen;
}

/** The harness page and the chunks no other page loads. */
export function harnessFiles(bundle: OutputBundle): string[] {
  const entries = Object.values(bundle).filter((file) => file.type === 'chunk' && file.isEntry);
  const harness = entries.filter((chunk) => chunk.name === harnessEntry).map((chunk) => chunk.fileName);
  const app = reachable(
    bundle,
    entries.filter((chunk) => chunk.name !== harnessEntry).map((chunk) => chunk.fileName),
  );
  const own = [...reachable(bundle, harness)].filter((name) => !app.has(name));
  return harnessPage in bundle ? [harnessPage, ...own] : own;
}

/**
 * Moves the harness out of the production build once it is written: dist/ holds only what the app
 * serves, and `harnessPreviewPlugin` serves the harness beside it for the CLI, benchmarks and tests.
 */
export function harnessBuildPlugin(): Plugin {
  let outDir = 'dist';
  let root = '.';
  return {
    name: 'doppel-test-harness-out-of-dist',
    apply: 'build',
    configResolved(config) {
      root = config.root;
      outDir = resolve(config.root, config.build.outDir);
    },
    buildStart() {
      rmSync(resolve(root, harnessDir), { recursive: true, force: true });
    },
    writeBundle(_, bundle) {
      for (const file of harnessFiles(bundle)) {
        const to = resolve(root, harnessDir, file);
        mkdirSync(dirname(to), { recursive: true });
        renameSync(join(outDir, file), to);
      }
    },
  };
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/** Serves the harness (built by `harnessBuildPlugin`) beside the production build, with `headers`. */
export function harnessPreviewPlugin(headers: Record<string, string>): Plugin {
  return {
    name: 'doppel-test-harness-preview',
    configurePreviewServer(server) {
      const root = resolve(server.config.root, harnessDir);
      server.middlewares.use((req, res, next) => {
        const path = join(root, normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)));
        if (!path.startsWith(root + '/') || !existsSync(path) || !statSync(path).isFile()) return next();
        for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
        res.setHeader('Content-Type', contentTypes[extname(path)] ?? 'application/octet-stream');
        res.setHeader('Cache-Control', 'no-cache');
        createReadStream(path).pipe(res);
      });
    },
  };
}
