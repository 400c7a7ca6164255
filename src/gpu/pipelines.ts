import { colourApplyWgsl, colourBlurWgsl, colourCellsWgsl } from './kernels/colour.wgsl';
import { compositeWgsl } from './kernels/composite.wgsl';
import { maskWgsl } from './kernels/mask.wgsl';
import { skinWgsl } from './kernels/occlusion.wgsl';
import { toneApplyWgsl, toneRegionsWgsl, toneRowsWgsl, toneTotalsWgsl } from './kernels/tone.wgsl';
import {
  poissonCoarseWgsl,
  poissonFineWgsl,
  poissonFinishWgsl,
  poissonProlongWgsl,
  poissonRestrictWgsl,
  poissonSmoothWgsl,
} from './kernels/poisson.wgsl';
import { warpWgsl } from './kernels/warp.wgsl';

/** Format of the warp's ROI render target. */
export const WARP_FORMAT: GPUTextureFormat = 'rgba32float';

/** Every compute pipeline of the mesh swap, by name; compiled once per device. */
const computeKernels = {
  skin: skinWgsl,
  mask: maskWgsl,
  toneRegions: toneRegionsWgsl,
  toneRows: toneRowsWgsl,
  toneTotals: toneTotalsWgsl,
  toneApply: toneApplyWgsl,
  colourCells: colourCellsWgsl,
  colourBlurX: colourBlurWgsl(0),
  colourBlurY: colourBlurWgsl(1),
  colourApply: colourApplyWgsl,
  poissonFine: poissonFineWgsl,
  poissonCoarse: poissonCoarseWgsl,
  poissonSmooth: poissonSmoothWgsl,
  poissonRestrict: poissonRestrictWgsl,
  poissonProlong: poissonProlongWgsl,
  poissonFinish: poissonFinishWgsl,
  composite: compositeWgsl,
};

export type Kernels = { warp: GPURenderPipeline } & Record<keyof typeof computeKernels, GPUComputePipeline>;

export async function createKernels(device: GPUDevice): Promise<Kernels> {
  const warpModule = device.createShaderModule({ label: 'warp', code: warpWgsl });
  const names = Object.keys(computeKernels) as (keyof typeof computeKernels)[];
  const [warp, ...computes] = await Promise.all([
    device.createRenderPipelineAsync({
      label: 'warp',
      layout: 'auto',
      vertex: { module: warpModule, entryPoint: 'vertexMain' },
      fragment: { module: warpModule, entryPoint: 'fragmentMain', targets: [{ format: WARP_FORMAT }] },
      primitive: { topology: 'triangle-list', cullMode: 'none' },
    }),
    ...names.map((label) =>
      device.createComputePipelineAsync({
        label,
        layout: 'auto',
        compute: {
          module: device.createShaderModule({ label, code: computeKernels[label] }),
          entryPoint: 'main',
        },
      }),
    ),
  ]);
  return { warp, ...Object.fromEntries(names.map((name, i) => [name, computes[i]!])) } as Kernels;
}
