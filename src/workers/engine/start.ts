import { createCpuSwapper } from '../../gpu/cpu-swapper';
import type { MeshSwapper, MeshTopology } from '../../gpu/types';
import type { WebGpuSwapper } from '../../gpu/webgpu-swapper';
import { defaultConfig } from '../../shared/config';
import { NeuralEngine } from '../neural/neural-engine';
import type { EngineInfo, EngineSettings, ProgressCallback } from './api';
import { chooseBackend } from './backend';
import { FaceAnalyzer } from './faces';
import { countReadbacks } from './readback-count';
import { faceMeshTopology } from './topology';

/** Everything a started engine holds: the face models, the swapper and the neural engine. */
export interface Ready {
  analyzer: FaceAnalyzer;
  swapper: MeshSwapper | WebGpuSwapper;
  neural: NeuralEngine;
  topology: MeshTopology;
  info: EngineInfo;
  /** Set when the GPU device the models ran on was lost, with the reason. */
  gpuLost?: string;
}

/** Picks the backend, loads the face models (WASM when WebGPU cannot) and the swapper that fits. */
export async function startEngine(settings: EngineSettings, onProgress?: ProgressCallback): Promise<Ready> {
  onProgress?.({ stage: 'models', fraction: 0, message: 'Loading face models' });
  if (settings.countReadbacks) countReadbacks();
  let decision = await chooseBackend(settings.backend);
  let analyzer: FaceAnalyzer;
  try {
    analyzer = await FaceAnalyzer.create(settings, decision.backend, defaultConfig.detection);
  } catch (error) {
    if (decision.backend !== 'webgpu') throw error;
    decision = {
      ...decision,
      backend: 'wasm',
      reason: `WebGPU could not start the face models (${String(error)}), so WASM runs them.`,
    };
    analyzer = await FaceAnalyzer.create(settings, 'wasm', defaultConfig.detection);
  }
  const device = decision.backend === 'webgpu' ? analyzer.gpuDevice : null;
  const swapper = device
    ? (await import('../../gpu/webgpu-swapper')).createWebGpuSwapper(device)
    : createCpuSwapper();
  const neuralThreads = self.crossOriginIsolated ? (settings.threads ?? navigator.hardwareConcurrency) : 1;
  const isolationNote =
    decision.backend === 'wasm' && !self.crossOriginIsolated
      ? ' This page is not cross-origin isolated, so WASM runs on one thread (slower).'
      : '';
  const info: EngineInfo = {
    ...decision,
    reason: decision.reason + isolationNote,
    swapper: swapper.kind,
    threads: analyzer.threads,
    neuralThreads,
  };
  onProgress?.({ stage: 'models', fraction: 1, message: 'Face models ready' });
  const neural = new NeuralEngine(settings.modelBaseUrl, settings.wasmBaseUrl, device, neuralThreads);
  return { analyzer, swapper, neural, topology: faceMeshTopology(analyzer.triangulation), info };
}
