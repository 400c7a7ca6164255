import type { RgbaImage } from './types';

/** The images of one swap on the GPU: the source texture, the running output and the touched mask. */
export interface GpuFrame {
  width: number;
  height: number;
  source: GPUTexture;
  /** The running output, one pack4x8unorm u32 per pixel; starts as the target. */
  image: GPUBuffer;
  /** One byte per pixel (4 per u32), 1 where a face was composited. */
  touched: GPUBuffer;
}

/** WebGPU copies from views over shared and non-shared buffers alike; TypeScript's lib types only the latter. */
export function gpuBytes<T extends ArrayBufferView>(view: T): ArrayBufferView<ArrayBuffer> {
  return view as ArrayBufferView as ArrayBufferView<ArrayBuffer>;
}

/** Uploads the source (one writeTexture) and the target (one writeBuffer). */
export function uploadFrame(device: GPUDevice, source: RgbaImage, target: RgbaImage): GpuFrame {
  const texture = device.createTexture({
    label: 'source',
    size: [source.width, source.height],
    format: 'rgba8unorm',
    usage: GPUTextureUsage.TEXTURE_BINDING | GPUTextureUsage.COPY_DST,
  });
  device.queue.writeTexture({ texture }, gpuBytes(source.data), { bytesPerRow: source.width * 4 }, [
    source.width,
    source.height,
  ]);
  const image = device.createBuffer({
    label: 'image',
    size: target.data.byteLength,
    usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
  });
  device.queue.writeBuffer(image, 0, gpuBytes(target.data));
  const touched = device.createBuffer({
    label: 'touched',
    size: Math.ceil((target.width * target.height) / 4) * 4,
    usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC,
  });
  return { width: target.width, height: target.height, source: texture, image, touched };
}

export function destroyFrame(frame: GpuFrame): void {
  frame.source.destroy();
  frame.image.destroy();
  frame.touched.destroy();
}
