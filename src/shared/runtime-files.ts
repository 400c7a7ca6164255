/**
 * The tfjs WASM binaries served under `wasmBaseUrl`: tfjs loads exactly one of them, the variant
 * this device supports (plain, SIMD, or SIMD with threads when cross-origin isolated).
 */
export const wasmFiles = [
  'tfjs-backend-wasm.wasm',
  'tfjs-backend-wasm-simd.wasm',
  'tfjs-backend-wasm-threaded-simd.wasm',
] as const;

/**
 * onnxruntime-web's loader and binary (the build with the WebGPU and WASM execution providers), served
 * under `wasmBaseUrl` beside the tfjs binaries and loaded only when the neural engine runs.
 */
export const ortFiles = {
  mjs: 'ort-wasm-simd-threaded.asyncify.mjs',
  wasm: 'ort-wasm-simd-threaded.asyncify.wasm',
} as const;

/**
 * c2pa-web's (MIT) C2PA wasm, served under `wasmBaseUrl`: it signs every photo, GIF and MP4 output
 * with Content Credentials, so the service worker precaches it (outputs can be made offline);
 * pages load it only when an output is made.
 */
export const runtimeFiles = { c2pa: 'c2pa_bg.wasm' } as const;

/** The files under `wasmBaseUrl` its runtime wasm cache may hold (the C2PA wasm is precached instead). */
export const runtimeWasmFiles: readonly string[] = [...wasmFiles, ortFiles.mjs, ortFiles.wasm];

/** Runtime caches of the service worker (Cache Storage names). */
export const cacheNames = {
  /** Model files, cached on first use (`/models/**`). */
  models: 'doppel-models',
  /** The one tfjs `.wasm` variant this device loaded (`/wasm/**`). */
  wasm: 'doppel-wasm',
  /** Files shared to the installed app (Web Share Target), kept until the app picks them up. */
  share: 'doppel-share',
} as const;

/** Messages the app sends to the service worker. */
export type SwMessage =
  | { type: 'SKIP_WAITING' }
  /** Copy model and wasm files the page loaded before the worker controlled it into the runtime caches. */
  | { type: 'ADOPT_LOADED_FILES' };

/**
 * Web Share Target: where the OS posts the shared photos, the form field holding them, where the
 * service worker then sends the app (`/?shared`), and the header keeping each file's name in the share cache.
 */
export const shareTarget = {
  action: '/?share-target',
  field: 'photos',
  landingParam: 'shared',
  nameHeader: 'x-doppel-file-name',
} as const;
