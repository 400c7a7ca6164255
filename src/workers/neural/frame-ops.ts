/**
 * The pixel work of the neural swap on one frame: crops into model inputs, tile merging and the
 * paste-back. The WebGPU form keeps everything on the device and hands ONNX Runtime GPU buffers; the
 * CPU form (the WASM path) runs the TypeScript references, which are also the GPU kernels' oracle.
 */
import type { Tensor } from 'onnxruntime-web/webgpu';
import { cropReference, type CropParams } from '../../gpu/reference/neural-crop';
import { mergeTilesReference } from '../../gpu/reference/neural-merge';
import { pasteReference, type PasteParams } from '../../gpu/reference/neural-paste';
import type { NeuralFrame, NeuralKernels } from '../../gpu/neural-kernels';
import type { RgbaImage } from '../../gpu/types';
import type { Ort } from './ort';

/** A swapper or enhancer output, merged to one planar RGB crop, ready to paste. */
export type MergedCrop =
  { kind: 'gpu'; buffer: GPUBuffer; owned: boolean } | { kind: 'cpu'; data: Float32Array };

export interface FrameOps {
  /** A 1x3xSxS input tensor cropped from the running frame. */
  crop(p: CropParams): Tensor;
  /** k x k space-to-depth tiles (1x3x128x128 outputs, tile = phaseY * k + phaseX) merged into one crop. */
  merge(tiles: readonly Tensor[], k: number): Promise<MergedCrop>;
  paste(crop: MergedCrop, p: PasteParams): void;
  release(crop: MergedCrop): void;
  /** The running frame and the pixels the pastes touched. */
  result(): Promise<{ image: RgbaImage; touched: Uint8Array }>;
  dispose(): void;
}

const dims = (size: number) => [1, 3, size, size];

export function cpuFrameOps(ort: Ort, target: RgbaImage): FrameOps {
  const image: RgbaImage = { width: target.width, height: target.height, data: target.data.slice() };
  const touched = new Uint8Array(target.width * target.height);
  return {
    crop: (p) => new ort.Tensor('float32', cropReference(image, p), dims(p.size)),
    async merge(tiles, k) {
      const data = await Promise.all(tiles.map((t) => t.getData() as Promise<Float32Array>));
      return { kind: 'cpu', data: k === 1 ? (data[0] as Float32Array) : mergeTilesReference(data, k) };
    },
    paste(crop, p) {
      if (crop.kind !== 'cpu') throw new Error('a GPU crop cannot be pasted on the CPU');
      pasteReference(image, crop.data, p, touched);
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
        dims: dims(p.size),
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
    paste(crop, p) {
      if (crop.kind !== 'gpu') throw new Error('a CPU crop cannot be pasted on the GPU');
      kernels.paste(frame, crop.buffer, p);
    },
    release(crop) {
      if (crop.kind === 'gpu' && crop.owned) crop.buffer.destroy();
    },
    result: () => kernels.readFrame(frame),
    dispose: () => kernels.destroyFrame(frame),
  };
}
