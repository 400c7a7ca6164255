/** Copies `size` bytes of a GPU buffer to the CPU (one copy, one map). */
export async function readBuffer(
  device: GPUDevice,
  buffer: GPUBuffer,
  size = buffer.size,
): Promise<ArrayBuffer> {
  const staging = device.createBuffer({
    size: Math.ceil(size / 4) * 4,
    usage: GPUBufferUsage.COPY_DST | GPUBufferUsage.MAP_READ,
  });
  const encoder = device.createCommandEncoder();
  encoder.copyBufferToBuffer(buffer, 0, staging, 0, staging.size);
  device.queue.submit([encoder.finish()]);
  try {
    await staging.mapAsync(GPUMapMode.READ);
    return staging.getMappedRange().slice(0, size);
  } finally {
    staging.destroy();
  }
}
