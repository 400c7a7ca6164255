import { colourApplyWgsl, colourRowsWgsl } from './kernels/colour.wgsl';
import { compositeWgsl } from './kernels/composite.wgsl';
import { maskWgsl } from './kernels/mask.wgsl';
import { poissonRhsWgsl, poissonStepWgsl } from './kernels/poisson.wgsl';
import { warpWgsl } from './kernels/warp.wgsl';

/** Format of the warp's ROI render target. */
export const WARP_FORMAT: GPUTextureFormat = 'rgba32float';

/** Every pipeline of the mesh swap, compiled once per device. */
export interface Kernels {
  warp: GPURenderPipeline;
  mask: GPUComputePipeline;
  colourRows: GPUComputePipeline;
  colourApply: GPUComputePipeline;
  poissonRhs: GPUComputePipeline;
  poissonStep: GPUComputePipeline;
  composite: GPUComputePipeline;
}

export async function createKernels(device: GPUDevice): Promise<Kernels> {
  const module = (label: string, code: string) => device.createShaderModule({ label, code });
  const compute = (label: string, shader: GPUShaderModule, entryPoint = 'main') =>
    device.createComputePipelineAsync({ label, layout: 'auto', compute: { module: shader, entryPoint } });
  const warpModule = module('warp', warpWgsl);
  const [warp, mask, colourRows, colourApply, poissonRhs, poissonStep, composite] = await Promise.all([
    device.createRenderPipelineAsync({
      label: 'warp',
      layout: 'auto',
      vertex: { module: warpModule, entryPoint: 'vertexMain' },
      fragment: { module: warpModule, entryPoint: 'fragmentMain', targets: [{ format: WARP_FORMAT }] },
      primitive: { topology: 'triangle-list', cullMode: 'none' },
    }),
    compute('mask', module('mask', maskWgsl)),
    compute('colour-rows', module('colour-rows', colourRowsWgsl)),
    compute('colour-apply', module('colour-apply', colourApplyWgsl)),
    compute('poisson-rhs', module('poisson-rhs', poissonRhsWgsl)),
    compute('poisson-step', module('poisson-step', poissonStepWgsl)),
    compute('composite', module('composite', compositeWgsl)),
  ]);
  return { warp, mask, colourRows, colourApply, poissonRhs, poissonStep, composite };
}
