/**
 * onnxruntime-web, loaded on first use of the neural engine only (its wasm is ~27 MB). The build with
 * the WebGPU execution provider also runs the WASM provider, so one runtime serves both. Its .mjs
 * loader and .wasm are served from our own origin under the wasm base URL (copied by scripts/assets.ts,
 * cached by the service worker on first use), never from a CDN.
 */
import type * as OrtModule from 'onnxruntime-web/webgpu';
import { ortFiles } from '../../shared/runtime-files';

export type Ort = typeof OrtModule;

let loading: Promise<Ort> | null = null;

export function loadOrt(wasmBaseUrl: string, threads: number): Promise<Ort> {
  loading ??= import('onnxruntime-web/webgpu').then((ort) => {
    const base = new URL(wasmBaseUrl, self.location.href);
    ort.env.wasm.wasmPaths = {
      mjs: new URL(ortFiles.mjs, base).href,
      wasm: new URL(ortFiles.wasm, base).href,
    };
    ort.env.wasm.numThreads = threads;
    ort.env.wasm.proxy = false;
    ort.env.logLevel = 'error';
    return ort;
  });
  return loading;
}
