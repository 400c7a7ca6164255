import { gpuBytes, type GpuFrame } from './gpu-frame';
import { faceInputWgsl, framePackWgsl, frameUnpackWgsl } from './kernels/frame-io.wgsl';
import { readBuffer } from './readback';
import { packRegion, type ImageRegion, type InputRange } from './reference/face-input';
import type { RgbaImage } from './types';

const { STORAGE, COPY_SRC, COPY_DST, UNIFORM } = GPUBufferUsage;

/** A frame as it arrives from a decoder or a camera. */
export type FrameSource = VideoFrame | ImageBitmap;

interface Pipelines {
  unpack: GPUComputePipeline;
  pack: GPUComputePipeline;
  faceInput: GPUComputePipeline;
}

function compile(device: GPUDevice, label: string, code: string): Promise<GPUComputePipeline> {
  return device.createComputePipelineAsync({
    label,
    layout: 'auto',
    compute: { module: device.createShaderModule({ label, code }), entryPoint: 'main' },
  });
}

function sizeOf(source: FrameSource): [number, number] {
  return source instanceof ImageBitmap
    ? [source.width, source.height]
    : [source.displayWidth, source.displayHeight];
}

/**
 * Frames that stay on the GPU from decode to encode (or to the screen), one at a time: a decoded
 * frame is copied texture to texture, the face models read their inputs from it through a kernel,
 * the swap works on its image buffer, and the result leaves through a WebGPU canvas as a GPU-backed
 * ImageBitmap, with no buffer read back. Every resource is made once per frame size and reused.
 *
 * Without `canvasOutput` the result is read back instead (one readback per frame): software
 * adapters need that, because Chromium's headless SwiftShader WebGPU cannot present a canvas
 * (getCurrentTexture drops the whole WebGPU instance, every device with it; seen on Chromium 156
 * with and without Vulkan, ANGLE and Graphite).
 */
export class ResidentFrames {
  private pipelines: Promise<Pipelines> | null = null;
  private frame: (GpuFrame & { texture: GPUTexture; output: GPUTexture }) | null = null;
  private canvas: { canvas: OffscreenCanvas; context: GPUCanvasContext } | null = null;
  private photo: { image: RgbaImage; texture: GPUTexture } | null = null;
  private readonly params: GPUBuffer;
  private regions: GPUBuffer | null = null;
  private readonly inputs = new Map<number, GPUBuffer>();
  /** Frames read back so far (present without canvasOutput, readImage). */
  frameReadbacks = 0;

  constructor(
    private readonly device: GPUDevice,
    private readonly canvasOutput: boolean,
  ) {
    this.params = device.createBuffer({ label: 'face-input-params', size: 16, usage: UNIFORM | COPY_DST });
  }

  /** The source photo as a texture, uploaded once for as long as the same photo is swapped in. */
  private photoTexture(image: RgbaImage): GPUTexture {
    if (this.photo?.image === image) return this.photo.texture;
    this.photo?.texture.destroy();
    const texture = this.device.createTexture({
      label: 'source',
      size: [image.width, image.height],
      format: 'rgba8unorm',
      usage: GPUTextureUsage.TEXTURE_BINDING | GPUTextureUsage.COPY_DST,
    });
    this.device.queue.writeTexture({ texture }, gpuBytes(image.data), { bytesPerRow: image.width * 4 }, [
      image.width,
      image.height,
    ]);
    this.photo = { image, texture };
    return texture;
  }

  /** Sized for a width x height frame, reusing the last one's resources when the size is the same. */
  private sized(width: number, height: number) {
    if (this.frame?.width === width && this.frame.height === height) return this.frame;
    this.destroyFrame();
    const { TEXTURE_BINDING, RENDER_ATTACHMENT, STORAGE_BINDING } = GPUTextureUsage;
    const texture = this.device.createTexture({
      label: 'frame',
      size: [width, height],
      format: 'rgba8unorm',
      usage: TEXTURE_BINDING | GPUTextureUsage.COPY_DST | RENDER_ATTACHMENT,
    });
    const output = this.device.createTexture({
      label: 'frame-output',
      size: [width, height],
      format: 'rgba8unorm',
      usage: STORAGE_BINDING | GPUTextureUsage.COPY_SRC,
    });
    const image = this.device.createBuffer({
      label: 'frame-image',
      size: width * height * 4,
      usage: STORAGE | COPY_SRC,
    });
    const touched = this.device.createBuffer({
      label: 'frame-touched',
      size: Math.ceil((width * height) / 4) * 4,
      usage: STORAGE,
    });
    this.frame = { width, height, source: texture, texture, output, image, touched };
    return this.frame;
  }

  /**
   * The frame on the GPU, with the photo to swap in as its source (the caller still owns and closes
   * `source`). The image buffer starts as the frame's pixels.
   */
  async load(source: FrameSource, photo: RgbaImage): Promise<GpuFrame> {
    const { unpack } = await (this.pipelines ??= this.compile());
    const [width, height] = sizeOf(source);
    const frame = this.sized(width, height);
    await this.copyIn(source, frame.texture, width, height);
    this.dispatch(unpack, [frame.texture.createView(), frame.image], width, height);
    return { ...frame, source: this.photoTexture(photo) };
  }

  /**
   * Copies the frame into the texture on the GPU, through an ImageBitmap of it (which stays on the
   * GPU: the CPU's copy of the pixels is not touched). A decoded VideoFrame is never copied directly:
   * Chromium 150 on SwiftShader loses the whole device ("Device was destroyed.") on a software-decoded
   * frame where older versions threw, and a lost device would end the job's WebGPU path.
   */
  private async copyIn(source: FrameSource, texture: GPUTexture, width: number, height: number) {
    const copy = (from: ImageBitmap) =>
      this.device.queue.copyExternalImageToTexture({ source: from }, { texture }, [width, height]);
    if (source instanceof ImageBitmap) return copy(source);
    const bitmap = await createImageBitmap(source);
    try {
      copy(bitmap);
    } finally {
      bitmap.close();
    }
  }

  /**
   * Fills a [regions, size, size, 3] float32 buffer (STORAGE | COPY_SRC, as tfjs takes it) with the
   * regions of the loaded frame, as faceInput in reference/face-input.ts does. The buffer is reused:
   * the next call overwrites it.
   */
  async faceInput(regions: readonly ImageRegion[], size: number, range: InputRange): Promise<GPUBuffer> {
    const { faceInput } = await (this.pipelines ??= this.compile());
    if (!this.frame) throw new Error('No frame is loaded.');
    const bytes = regions.length * size * size * 3 * 4;
    let tensor = this.inputs.get(bytes);
    if (!tensor) {
      tensor = this.device.createBuffer({ label: 'face-input', size: bytes, usage: STORAGE | COPY_SRC });
      this.inputs.set(bytes, tensor);
    }
    const packed = new Float32Array(regions.flatMap((region) => packRegion(region, size)));
    if (!this.regions || this.regions.size < packed.byteLength) {
      this.regions?.destroy();
      this.regions = this.device.createBuffer({
        label: 'face-input-regions',
        size: Math.max(packed.byteLength, 64),
        usage: STORAGE | COPY_DST,
      });
    }
    this.device.queue.writeBuffer(this.regions, 0, packed);
    const params = new ArrayBuffer(16);
    new Uint32Array(params, 0, 2).set([size, regions.length]);
    new Float32Array(params, 8, 2).set([range.scale, range.offset]);
    this.device.queue.writeBuffer(this.params, 0, params);
    this.dispatch(
      faceInput,
      [this.params, this.regions, this.frame.texture.createView(), tensor],
      size,
      size,
      regions.length,
    );
    return tensor;
  }

  /**
   * The frame's image buffer as it now is, as an ImageBitmap the caller closes: GPU-backed through
   * the canvas, or read back without `canvasOutput`.
   */
  async present(): Promise<ImageBitmap> {
    const { pack } = await (this.pipelines ??= this.compile());
    const frame = this.frame;
    if (!frame) throw new Error('No frame is loaded.');
    if (!this.canvasOutput) {
      return createImageBitmap(new ImageData(await this.readFrame(frame.image), frame.width, frame.height));
    }
    const { width, height } = frame;
    if (this.canvas?.canvas.width !== width || this.canvas.canvas.height !== height) {
      const canvas = new OffscreenCanvas(width, height);
      const context = canvas.getContext('webgpu');
      if (!context) throw new Error('This browser cannot draw WebGPU output on an OffscreenCanvas.');
      context.configure({
        device: this.device,
        format: 'rgba8unorm',
        usage: GPUTextureUsage.COPY_DST | GPUTextureUsage.RENDER_ATTACHMENT,
        alphaMode: 'opaque',
      });
      this.canvas = { canvas, context };
    }
    const encoder = this.device.createCommandEncoder();
    this.encodeDispatch(encoder, pack, [frame.image, frame.output.createView()], width, height);
    encoder.copyTextureToTexture(
      { texture: frame.output },
      { texture: this.canvas.context.getCurrentTexture() },
      [width, height],
    );
    this.device.queue.submit([encoder.finish()]);
    return this.canvas.canvas.transferToImageBitmap();
  }

  /** The frame's image buffer read back as pixels (one readback), for encoders that need pixels (GIF). */
  async readImage(): Promise<RgbaImage> {
    const frame = this.frame;
    if (!frame) throw new Error('No frame is loaded.');
    return { width: frame.width, height: frame.height, data: await this.readFrame(frame.image) };
  }

  private async readFrame(image: GPUBuffer): Promise<Uint8ClampedArray<ArrayBuffer>> {
    this.frameReadbacks++;
    return new Uint8ClampedArray(await readBuffer(this.device, image));
  }

  private dispatch(
    pipeline: GPUComputePipeline,
    resources: (GPUBuffer | GPUTextureView)[],
    width: number,
    height: number,
    depth = 1,
  ): void {
    const encoder = this.device.createCommandEncoder();
    this.encodeDispatch(encoder, pipeline, resources, width, height, depth);
    this.device.queue.submit([encoder.finish()]);
  }

  private encodeDispatch(
    encoder: GPUCommandEncoder,
    pipeline: GPUComputePipeline,
    resources: (GPUBuffer | GPUTextureView)[],
    width: number,
    height: number,
    depth = 1,
  ): void {
    const pass = encoder.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(
      0,
      this.device.createBindGroup({
        layout: pipeline.getBindGroupLayout(0),
        entries: resources.map((resource, binding) => ({
          binding,
          resource: resource instanceof GPUBuffer ? { buffer: resource } : resource,
        })),
      }),
    );
    pass.dispatchWorkgroups(Math.ceil(width / 8), Math.ceil(height / 8), depth);
    pass.end();
  }

  private async compile(): Promise<Pipelines> {
    const [unpack, pack, faceInput] = await Promise.all([
      compile(this.device, 'frame-unpack', frameUnpackWgsl),
      compile(this.device, 'frame-pack', framePackWgsl),
      compile(this.device, 'face-input', faceInputWgsl),
    ]);
    return { unpack, pack, faceInput };
  }

  private destroyFrame(): void {
    if (!this.frame) return;
    for (const resource of [this.frame.texture, this.frame.output, this.frame.image, this.frame.touched])
      resource.destroy();
    this.frame = null;
  }

  destroy(): void {
    this.destroyFrame();
    this.photo?.texture.destroy();
    this.regions?.destroy();
    this.params.destroy();
    for (const buffer of this.inputs.values()) buffer.destroy();
  }
}
