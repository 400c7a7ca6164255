import { gpuBytes } from './gpu-frame';
import { neuralCropWgsl, packCropUniform } from './kernels/neural-crop.wgsl';
import {
  neuralMaskBlurWgsl,
  neuralMaskSourceWgsl,
  packMaskBlurUniform,
  packMaskSourceUniform,
} from './kernels/neural-mask.wgsl';
import { neuralMergeWgsl, packMergeUniform } from './kernels/neural-merge.wgsl';
import { neuralPasteWgsl, packPasteUniform } from './kernels/neural-paste.wgsl';
import { readBuffer } from './readback';
import { checkCropParams, type CropParams } from './reference/neural-crop';
import { DEFAULT_REGION_CLASSES, REGION_CLASS_COUNT, regionBits } from './reference/neural-mask';
import { packHands } from './reference/hand-holes';
import { checkModelMasks, checkPasteRegion, type PasteParams } from './reference/neural-paste';
import type { RgbaImage } from './types';

/** A frame of the neural engine on the GPU. */
export interface NeuralFrame {
  width: number;
  height: number;
  /** One pack4x8unorm u32 per pixel, usage STORAGE | COPY_SRC | COPY_DST. */
  image: GPUBuffer;
  /** One byte per pixel (4 per u32), 1 where a paste wrote the pixel. */
  touched: GPUBuffer;
}

interface NeuralPipelines {
  crop: GPUComputePipeline;
  merge: GPUComputePipeline;
  paste: GPUComputePipeline;
  maskSource: GPUComputePipeline;
  maskBlur: GPUComputePipeline;
}

/** One dispatch: its uniform bytes, the buffers at bindings 1.., and the invocations along x and y. */
interface Dispatch {
  pipeline: GPUComputePipeline;
  uniform: ArrayBuffer;
  buffers: GPUBuffer[];
  threads: readonly [number, number];
}

const WORKGROUP = 8;
/** Uniform slots are spaced by the largest minUniformBufferOffsetAlignment WebGPU allows. */
const SLOT_BYTES = 256;
/** Enough slots for a 512-px pixel-boost merge (16 tiles) without growing. */
const INITIAL_SLOTS = 16;
const FLOAT_BYTES = 4;

const pipelinesByDevice = new WeakMap<GPUDevice, NeuralPipelines>();

/** The neural kernels' pipelines, compiled once per device and shared by every NeuralKernels on it. */
function pipelinesFor(device: GPUDevice): NeuralPipelines {
  let pipelines = pipelinesByDevice.get(device);
  if (!pipelines) {
    const compute = (label: string, code: string) =>
      device.createComputePipeline({
        label,
        layout: 'auto',
        compute: { module: device.createShaderModule({ label, code }), entryPoint: 'main' },
      });
    pipelines = {
      crop: compute('neural-crop', neuralCropWgsl),
      merge: compute('neural-merge', neuralMergeWgsl),
      paste: compute('neural-paste', neuralPasteWgsl),
      maskSource: compute('neural-mask-source', neuralMaskSourceWgsl),
      maskBlur: compute('neural-mask-blur', neuralMaskBlurWgsl),
    };
    pipelinesByDevice.set(device, pipelines);
  }
  return pipelines;
}

/**
 * The neural engine's own GPU work around the ONNX models: crop/normalise a frame into an input
 * tensor, merge pixel-boost tiles, turn masker outputs into masks, paste the result back under the
 * box mask (and the model masks). Tensors are plain STORAGE buffers that ONNX Runtime can wrap
 * (Tensor.fromGpuBuffer), so nothing returns to the CPU between crop and paste. Each call submits its own commands, which is what lets one uniform buffer
 * serve every call: queue writes and submits run in order.
 */
export class NeuralKernels {
  private readonly pipelines: NeuralPipelines;
  private uniforms: GPUBuffer;
  /**
   * Bound as the paste's model masks where there are fewer than two, and as its hand outlines where
   * there is none (the kernel does not read it): two floats, one vec2f.
   */
  private readonly noMask: GPUBuffer;
  /** The masks' intermediate (the first blur pass), grown to the largest side asked for. */
  private blurScratch: GPUBuffer | null = null;

  constructor(private readonly device: GPUDevice) {
    this.pipelines = pipelinesFor(device);
    this.uniforms = this.uniformBuffer(INITIAL_SLOTS);
    this.noMask = this.tensor('neural-no-mask', 2);
  }

  uploadFrame(image: RgbaImage): NeuralFrame {
    const { STORAGE, COPY_SRC, COPY_DST } = GPUBufferUsage;
    const buffer = this.device.createBuffer({
      label: 'neural-frame',
      size: image.data.byteLength,
      usage: STORAGE | COPY_SRC | COPY_DST,
    });
    this.device.queue.writeBuffer(buffer, 0, gpuBytes(image.data));
    const touched = this.device.createBuffer({
      label: 'neural-touched',
      size: Math.ceil((image.width * image.height) / 4) * 4,
      usage: STORAGE | COPY_SRC | COPY_DST,
    });
    return { width: image.width, height: image.height, image: buffer, touched };
  }

  /** Writes the 3 x size x size tensor (cropReference) into `into` or a new buffer, and returns it. */
  crop(frame: NeuralFrame, p: CropParams, into?: GPUBuffer): GPUBuffer {
    checkCropParams(p);
    const out = into ?? this.tensor('neural-crop', 3 * p.size * p.size);
    requireFloats(out, 3 * p.size * p.size, 'crop output');
    this.submit([
      {
        pipeline: this.pipelines.crop,
        uniform: packCropUniform(p, frame.width, frame.height),
        buffers: [frame.image, out],
        threads: [p.size, p.size],
      },
    ]);
    return out;
  }

  /** Depth-to-space of k*k tile tensors (index phaseY * k + phaseX) into a new buffer (mergeTilesReference). */
  merge(tiles: readonly GPUBuffer[], k: number, tileSize = 128): GPUBuffer {
    if (tiles.length !== k * k) throw new RangeError(`expected ${k * k} tiles, got ${tiles.length}`);
    tiles.forEach((tile, i) => requireFloats(tile, 3 * tileSize * tileSize, `tile ${i}`));
    const side = k * tileSize;
    const merged = this.tensor('neural-merged', 3 * side * side);
    this.submit(
      tiles.map((tile, i) => ({
        pipeline: this.pipelines.merge,
        uniform: packMergeUniform(k, tileSize, i % k, Math.floor(i / k)),
        buffers: [tile, merged],
        threads: [tileSize, tileSize],
      })),
    );
    return merged;
  }

  /**
   * XSeg's side x side output to the occlusion mask (occlusionMaskReference), written into `into` or
   * a new buffer of side x side floats, which is returned.
   */
  occlusionMask(output: GPUBuffer, side = 256, into?: GPUBuffer): GPUBuffer {
    requireFloats(output, side * side, 'occlusion output');
    return this.mask(output, side, packMaskSourceUniform(side, 'occlusion', 0), into);
  }

  /**
   * BiSeNet's 19 x side x side logits to the region mask of the given classes (regionMaskReference;
   * FaceFusion's default regions unless given), into `into` or a new side x side buffer, returned.
   */
  regionMask(
    logits: GPUBuffer,
    classes: readonly number[] = DEFAULT_REGION_CLASSES,
    side = 512,
    into?: GPUBuffer,
  ): GPUBuffer {
    requireFloats(logits, REGION_CLASS_COUNT * side * side, 'region logits');
    return this.mask(logits, side, packMaskSourceUniform(side, 'region', regionBits(classes)), into);
  }

  /**
   * Blends a 3 x size x size crop back into the frame under the box mask, min'd with each of
   * `modelMasks` (in the order of p.modelMasks, each side squared floats: occlusionMask's, regionMask's;
   * at most two) and with the holes of p.hands (pasteReference).
   */
  paste(frame: NeuralFrame, crop: GPUBuffer, p: PasteParams, modelMasks: readonly GPUBuffer[] = []): void {
    requireFloats(crop, 3 * p.size * p.size, 'paste crop');
    checkPasteRegion(p.region, frame.width, frame.height);
    checkModelMasks(
      p,
      modelMasks.map((mask) => mask.size / FLOAT_BYTES),
    );
    const hands = packHands(p.hands);
    const [, , w, h] = p.region;
    if (w === 0 || h === 0) return;
    const outlines = hands.points.length > 0 ? this.tensor('neural-hands', hands.points.length) : null;
    if (outlines) this.device.queue.writeBuffer(outlines, 0, hands.points);
    this.submit([
      {
        pipeline: this.pipelines.paste,
        uniform: packPasteUniform(p, frame.width, hands),
        buffers: [
          crop,
          frame.image,
          frame.touched,
          modelMasks[0] ?? this.noMask,
          modelMasks[1] ?? this.noMask,
          outlines ?? this.noMask,
        ],
        threads: [w, h],
      },
    ]);
    // Submitted work keeps the buffer alive until it completes.
    outlines?.destroy();
  }

  async readFrame(frame: NeuralFrame): Promise<{ image: RgbaImage; touched: Uint8Array }> {
    const [image, touched] = await Promise.all([
      readBuffer(this.device, frame.image),
      readBuffer(this.device, frame.touched, frame.width * frame.height),
    ]);
    return {
      image: { width: frame.width, height: frame.height, data: new Uint8ClampedArray(image) },
      touched: new Uint8Array(touched),
    };
  }

  async readFloats(buffer: GPUBuffer, count: number): Promise<Float32Array> {
    return new Float32Array(await readBuffer(this.device, buffer, count * FLOAT_BYTES));
  }

  destroyFrame(frame: NeuralFrame): void {
    frame.image.destroy();
    frame.touched.destroy();
  }

  destroy(): void {
    this.uniforms.destroy();
    this.noMask.destroy();
    this.blurScratch?.destroy();
  }

  /** The source map into the output, blurred along x into the scratch, then along y back, finished. */
  private mask(model: GPUBuffer, side: number, source: ArrayBuffer, into?: GPUBuffer): GPUBuffer {
    if (!Number.isInteger(side) || side < 1 || into === model) {
      throw new RangeError(`mask side ${side} must be a positive integer, and the mask not the model output`);
    }
    const floats = side * side;
    const out = into ?? this.tensor('neural-mask', floats);
    requireFloats(out, floats, 'mask output');
    if (!this.blurScratch || this.blurScratch.size < floats * FLOAT_BYTES) {
      // Submitted work keeps the old buffer alive until it completes.
      this.blurScratch?.destroy();
      this.blurScratch = this.tensor('neural-mask-blur', floats);
    }
    const threads = [side, side] as const;
    const { maskSource, maskBlur } = this.pipelines;
    this.submit([
      { pipeline: maskSource, uniform: source, buffers: [model, out], threads },
      {
        pipeline: maskBlur,
        uniform: packMaskBlurUniform(side, 0, false),
        buffers: [out, this.blurScratch],
        threads,
      },
      {
        pipeline: maskBlur,
        uniform: packMaskBlurUniform(side, 1, true),
        buffers: [this.blurScratch, out],
        threads,
      },
    ]);
    return out;
  }

  private tensor(label: string, floats: number): GPUBuffer {
    const { STORAGE, COPY_SRC, COPY_DST } = GPUBufferUsage;
    return this.device.createBuffer({
      label,
      size: floats * FLOAT_BYTES,
      usage: STORAGE | COPY_SRC | COPY_DST,
    });
  }

  private uniformBuffer(slots: number): GPUBuffer {
    return this.device.createBuffer({
      label: 'neural-uniforms',
      size: slots * SLOT_BYTES,
      usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
    });
  }

  /** Encodes the dispatches in one compute pass, each with its own uniform slot, and submits them. */
  private submit(dispatches: readonly Dispatch[]): void {
    if (dispatches.length * SLOT_BYTES > this.uniforms.size) {
      // Submitted work keeps the old buffer alive until it completes.
      this.uniforms.destroy();
      this.uniforms = this.uniformBuffer(dispatches.length);
    }
    const encoder = this.device.createCommandEncoder();
    const pass = encoder.beginComputePass();
    dispatches.forEach((d, slot) => {
      const offset = slot * SLOT_BYTES;
      this.device.queue.writeBuffer(this.uniforms, offset, d.uniform);
      const entries: GPUBindGroupEntry[] = [
        { binding: 0, resource: { buffer: this.uniforms, offset, size: d.uniform.byteLength } },
        ...d.buffers.map((buffer, i) => ({ binding: i + 1, resource: { buffer } })),
      ];
      pass.setPipeline(d.pipeline);
      pass.setBindGroup(
        0,
        this.device.createBindGroup({ layout: d.pipeline.getBindGroupLayout(0), entries }),
      );
      pass.dispatchWorkgroups(Math.ceil(d.threads[0] / WORKGROUP), Math.ceil(d.threads[1] / WORKGROUP));
    });
    pass.end();
    this.device.queue.submit([encoder.finish()]);
  }
}

function requireFloats(buffer: GPUBuffer, floats: number, what: string): void {
  if (buffer.size < floats * FLOAT_BYTES) {
    throw new RangeError(`${what} holds ${buffer.size} bytes, needs ${floats * FLOAT_BYTES}`);
  }
}
