import type { LogLevel, PluginOption } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';
import { pwaIcons } from './pwa-icons.ts';

/**
 * The installable, offline app: sw/sw.ts built with workbox (injectManifest) into dist/sw.js, with the
 * precache list of the app shell, code, model manifest and the C2PA wasm (every output is signed with it, so
 * outputs can be made offline after one online visit). Model files and the tfjs and ORT .wasm binaries are
 * not precached: the service worker caches them on first use (only the wasm variant this device loads). The web app
 * manifest is public/manifest.webmanifest; its PNG icons are drawn at build time.
 */
export function pwaPlugins(): PluginOption[] {
  // The service worker is built by a second Vite build: it logs at the app build's level (`npm start`
  // builds with 'warn', so its progress lines stay out of the way).
  let logLevel: LogLevel = 'info';
  return [
    { name: 'doppel-sw-log-level', configResolved: (config) => void (logLevel = config.logLevel ?? 'info') },
    pwaIcons(),
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'sw',
      filename: 'sw.ts',
      // Registered by src/app/pwa/register.ts (workbox-window) from the app page only.
      injectRegister: false,
      manifest: false,
      devOptions: { enabled: false },
      injectManifest: {
        rollupFormat: 'iife',
        minify: true,
        // The model manifest (names, sizes and SHA-256 of the model files) but not the model files;
        // the start screen's example image (about 12 KB).
        globPatterns: [
          'index.html',
          'manifest.webmanifest',
          'assets/**/*.{js,css}',
          'icons/*.{svg,png}',
          'examples/*.webp',
          'models/manifest.json',
          'wasm/c2pa_bg.wasm',
        ],
        // The verify page is not the app: its code is not precached (the test harness is not in dist/).
        globIgnores: ['assets/verify-*.js'],
        // The engine worker bundles tfjs and the face library (a few MB).
        maximumFileSizeToCacheInBytes: 16 * 1024 * 1024,
        // Workbox's production code even when the build runs under NODE_ENV=test (vitest).
        buildPlugins: {
          vite: [
            {
              name: 'doppel-sw-production',
              config: () => ({ define: { 'process.env.NODE_ENV': '"production"' }, logLevel }),
            },
          ],
        },
      },
    }),
  ];
}
