/**
 * The pixel work of the neural swap on one frame: crops into model inputs, tile merging and the
 * paste-back. The WebGPU form keeps everything on the device and hands ONNX Runtime GPU buffers; the
 * CPU form (the WASM path) runs the TypeScript references, which are also the GPU kernels' oracle.
 */
import type { Tensor } from 'onnxruntime-web/webgpu';
import { cropReference, type CropParams } from '../../gpu/reference/neural-crop';
import { mergeTilesReference } from '../../gpu/reference/neural-merge';
import {
  DEFAULT_REGION_CLASSES,
  occlusionMaskReference,
  regionMaskReference,
} from '../../gpu/reference/neural-mask';
import { pasteReference, type PasteParams } from '../../gpu/reference/neural-paste';
import type { NeuralFrame, NeuralKernels } from '../../gpu/neural-kernels';
import type { RgbaImage } from '../../gpu/types';
import type { ModelMaskKind } from '../engine/api';
import type { Ort } from './ort';

/** A swapper or enhancer output, merged to one planar RGB crop, ready to paste. */
export type MergedCrop =
  { kind: 'gpu'; buffer: GPUBuffer; owned: boolean } | { kind: 'cpu'; data: Float32Array };

/** An occlusion or region mask on the crop grid of a masker model (side x side, values 0..1). */
export type ModelMask = ({ kind: 'gpu'; buffer: GPUBuffer } | { kind: 'cpu'; data: Float32Array }) & {
  side: number;
};

export interface FrameOps {
  /** A 1x3xSxS input tensor cropped from the running frame. */
  crop(p: CropParams): Tensor;
  /** k x k space-to-depth tiles (1x3x128x128 outputs, tile = phaseY * k + phaseX) merged into one crop. */
  merge(tiles: readonly Tensor[], k: number): Promise<MergedCrop>;
  /** A masker's output (XSeg occlusion 1xSxSx1, BiSeNet region 1x19xSxS logits) as a mask. */
  mask(kind: ModelMaskKind, output: Tensor, side: number): Promise<ModelMask>;
  /** Pastes under the box mask, min'd with each model mask given (the per-pixel minimum of them all). */
  paste(crop: MergedCrop, p: PasteParams, masks: readonly ModelMask[]): void;
  release(crop: MergedCrop | ModelMask): void;
  /** The running frame and the pixels the pastes touched. */
  result(): Promise<{ image: RgbaImage; touched: Uint8Array }>;
  dispose(): void;
}

const dims = (p: CropParams) => (p.layout === 'nhwc' ? [1, p.size, p.size, 3] : [1, 3, p.size, p.size]);

const maskSettings = (p: PasteParams, masks: readonly ModelMask[]): PasteParams =>
  masks.length > 0 ? { ...p, modelMasks: masks.map(({ side }) => ({ side })) } : p;

export function cpuFrameOps(ort: Ort, target: RgbaImage): FrameOps {
  const image: RgbaImage = { width: target.width, height: target.height, data: target.data.slice() };
  const touched = new Uint8Array(target.width * target.height);
  return {
    crop: (p) => new ort.Tensor('float32', cropReference(image, p), dims(p)),
    async merge(tiles, k) {
      const data = await Promise.all(tiles.map((t) => t.getData() as Promise<Float32Array>));
      return { kind: 'cpu', data: k === 1 ? (data[0] as Float32Array) : mergeTilesReference(data, k) };
    },
    async mask(kind, output, side) {
      const data = (await output.getData()) as Float32Array;
      return {
        kind: 'cpu',
        side,
        data:
          kind === 'occlusion'
            ? occlusionMaskReference(data, side)
            : regionMaskReference(data, side, DEFAULT_REGION_CLASSES),
      };
    },
    paste(crop, p, masks) {
      const values = masks.flatMap((mask) => (mask.kind === 'cpu' ? [mask.data] : []));
      if (crop.kind !== 'cpu' || values.length !== masks.length)
        throw new Error('a GPU crop or mask cannot be pasted on the CPU');
      pasteReference(image, crop.data, maskSettings(p, masks), touched, values);
    },
    release: () => undefined,
    result: async () => ({ image, touched }),
    dispose: () => undefined,
  };
}

export function gpuFrameOps(ort: Ort, kernels: NeuralKernels, target: RgbaImage): FrameOps {
  const frame: NeuralFrame = kernels.uploadFrame(target);
  return {
    crop(p) {
      const buffer = kernels.crop(frame, p);
      return ort.Tensor.fromGpuBuffer(buffer, {
        dataType: 'float32',
        dims: dims(p),
        dispose: () => buffer.destroy(),
      });
    },
    async merge(tiles, k) {
      const buffers = tiles.map((tile) => {
        if (tile.location !== 'gpu-buffer') throw new Error('expected the model output on the GPU');
        return tile.gpuBuffer;
      });
      if (k === 1) return { kind: 'gpu', buffer: buffers[0] as GPUBuffer, owned: false };
      return { kind: 'gpu', buffer: kernels.merge(buffers, k), owned: true };
    },
    async mask(kind, output, side) {
      if (output.location !== 'gpu-buffer') throw new Error('expected the masker output on the GPU');
      const buffer =
        kind === 'occlusion'
          ? kernels.occlusionMask(output.gpuBuffer, side)
          : kernels.regionMask(output.gpuBuffer, DEFAULT_REGION_CLASSES, side);
      return { kind: 'gpu', side, buffer };
    },
    paste(crop, p, masks) {
      const buffers = masks.flatMap((mask) => (mask.kind === 'gpu' ? [mask.buffer] : []));
      if (crop.kind !== 'gpu' || buffers.length !== masks.length)
        throw new Error('a CPU crop or mask cannot be pasted on the GPU');
      kernels.paste(frame, crop.buffer, maskSettings(p, masks), buffers);
    },
    release(item) {
      if (item.kind === 'gpu' && (!('owned' in item) || item.owned)) item.buffer.destroy();
    },
    result: () => kernels.readFrame(frame),
    dispose: () => kernels.destroyFrame(frame),
  };
}
