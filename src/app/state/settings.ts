import { defaultConfig, type BackendChoice } from '../../shared/config';
import type { EngineSettings } from '../../workers/engine/api';

const backends: readonly BackendChoice[] = ['auto', 'webgpu', 'wasm'];

/** The backend asked for by `?backend=webgpu|wasm|auto`, else the configured default. */
export function backendFromSearch(search: string): BackendChoice {
  const asked = new URLSearchParams(search).get('backend');
  return backends.find((b) => b === asked) ?? defaultConfig.backend;
}

export function engineSettings(search: string): EngineSettings {
  return {
    backend: backendFromSearch(search),
    modelBaseUrl: defaultConfig.modelBaseUrl,
    wasmBaseUrl: defaultConfig.wasmBaseUrl,
  };
}
