import { defineConfig, minifySync, type Plugin } from 'vite';
import { copyRuntimeAssets } from './scripts/assets.ts';
import { buildManifestPlugin } from './scripts/build-manifest-plugin.ts';
import { licensePublicKeyPlugin } from './scripts/license-public-key-plugin.ts';
import { pwaPlugins } from './scripts/pwa.ts';
import { harnessBuildPlugin } from './scripts/test-harness.ts';

/** Cross-origin isolation (for WASM threads) and a strict CSP: scripts and connections only to our origin. */
export const securityHeaders: Record<string, string> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Content-Security-Policy': [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval' blob:",
    "worker-src 'self' blob:",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "media-src 'self' blob:",
    "connect-src 'self' blob: data:",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; '),
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
};

function runtimeAssets(): Plugin {
  return {
    name: 'doppel-runtime-assets',
    configResolved(config) {
      copyRuntimeAssets(config.root);
    },
  };
}

/** The same headers for production static hosts that read a `_headers` file (Netlify, Cloudflare Pages). */
function productionHeaders(): Plugin {
  return {
    name: 'doppel-production-headers',
    apply: 'build',
    generateBundle() {
      const lines = Object.entries(securityHeaders).map(([name, value]) => `  ${name}: ${value}`);
      this.emitFile({ type: 'asset', fileName: '_headers', source: ['/*', ...lines, ''].join('\n') });
    },
  };
}

/**
 * onnxruntime-web's bundle names its wasm with `new URL(..., import.meta.url)`, so Vite copies the
 * 26.8 MB file into assets/; the engine always loads it from /wasm/ (`ort.env.wasm.wasmPaths`), so
 * that copy is never fetched and is left out of the build.
 */
function dropUnusedOrtWasm(): Plugin {
  return {
    name: 'doppel-drop-unused-ort-wasm',
    apply: 'build',
    generateBundle(_, bundle) {
      for (const name of Object.keys(bundle))
        if (/^assets\/ort-wasm-.*\.wasm$/.test(name)) delete bundle[name];
    },
  };
}

const humanModule = /[\\/]node_modules[\\/]@vladmandic[\\/]human[\\/]/;

/**
 * The one chunk left unminified is Human's (the worker build puts it in its own chunk): its tfjs WASM
 * backend starts its pthreads from a blob of a function's source text
 * (`WasmBackendModuleThreadedSimd.toString()`), and minified, that text calls names renamed outside
 * it, so the threaded backend fails to start. Every other worker chunk is minified here.
 */
function minifyAllButHuman(): Plugin {
  return {
    name: 'doppel-minify-all-but-human',
    generateBundle(_, bundle) {
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== 'chunk' || chunk.moduleIds.some((id) => humanModule.test(id))) continue;
        chunk.code = minifySync(chunk.fileName, chunk.code, { module: true }).code;
      }
    },
  };
}

export default defineConfig({
  plugins: [
    runtimeAssets(),
    productionHeaders(),
    dropUnusedOrtWasm(),
    licensePublicKeyPlugin(),
    ...pwaPlugins(),
    buildManifestPlugin(),
    harnessBuildPlugin(),
  ],
  worker: {
    format: 'es',
    plugins: () => [minifyAllButHuman()],
    // Human in a chunk of its own, left as it is; minifyAllButHuman minifies the others.
    rolldownOptions: {
      output: { minify: 'dce-only', codeSplitting: { groups: [{ name: 'human', test: humanModule }] } },
    },
  },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 4000,
    rollupOptions: { input: { main: 'index.html', automation: 'automation.html', verify: 'verify.html' } },
  },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  optimizeDeps: {
    // Already an ES module; pre-bundling it (discovered late, inside the worker) made the dev server
    // serve a stale copy.
    exclude: ['onnxruntime-web'],
    rolldownOptions: { transform: { jsx: { runtime: 'automatic', importSource: 'preact' } } },
  },
  server: { headers: securityHeaders },
  preview: { headers: securityHeaders, port: 4173, strictPort: false },
});
