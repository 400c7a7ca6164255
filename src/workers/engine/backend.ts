import type { BackendChoice } from '../../shared/config';
import { summariseAdapter, type GpuAdapterSummary } from '../../gpu/device';
import { DoppelError } from '../../shared/errors';
import type { Backend } from './api';

export interface BackendDecision {
  backend: Backend;
  reason: string;
  adapter: string | null;
  /** True when the WebGPU adapter is a software one (SwiftShader). */
  softwareAdapter: boolean;
}

async function adapterFacts(): Promise<GpuAdapterSummary | null> {
  if (!('gpu' in navigator) || !navigator.gpu) return null;
  const adapter = await navigator.gpu.requestAdapter().catch(() => null);
  return adapter ? summariseAdapter(adapter) : null;
}

/**
 * A hardware WebGPU adapter runs WebGPU; no adapter or a software one (SwiftShader) runs WASM,
 * unless a setting forces a backend (tests force WebGPU on SwiftShader).
 */
export async function chooseBackend(choice: BackendChoice): Promise<BackendDecision> {
  const facts = await adapterFacts();
  const name = facts ? [facts.vendor, facts.architecture].filter(Boolean).join(' ') || 'unknown GPU' : null;
  const softwareAdapter = facts?.isFallbackAdapter ?? false;
  if (choice === 'wasm')
    return { backend: 'wasm', reason: 'WASM was chosen in the settings.', adapter: name, softwareAdapter };
  if (!facts) {
    if (choice === 'webgpu') throw new DoppelError('WEBGPU_UNAVAILABLE');
    return {
      backend: 'wasm',
      reason: 'This browser offers no WebGPU adapter, so the CPU (WASM) runs the models.',
      adapter: null,
      softwareAdapter,
    };
  }
  if (choice === 'webgpu')
    return {
      backend: 'webgpu',
      reason: `WebGPU was chosen in the settings (${name}).`,
      adapter: name,
      softwareAdapter,
    };
  if (facts.isFallbackAdapter) {
    return {
      backend: 'wasm',
      reason: `The only WebGPU adapter is a software one (${name}), which is slower than WASM, so WASM runs the models.`,
      adapter: name,
      softwareAdapter,
    };
  }
  return { backend: 'webgpu', reason: `WebGPU on ${name}.`, adapter: name, softwareAdapter };
}
