/** Reads an rgba32float texture into a tightly packed Float32Array (4 floats per texel). */
export async function readFloatTexture(device: GPUDevice, texture: GPUTexture): Promise<Float32Array> {
  const rowBytes = texture.width * 16;
  const paddedRow = Math.ceil(rowBytes / 256) * 256;
  const staging = device.createBuffer({
    size: paddedRow * texture.height,
    usage: GPUBufferUsage.COPY_DST | GPUBufferUsage.MAP_READ,
  });
  const encoder = device.createCommandEncoder();
  encoder.copyTextureToBuffer({ texture }, { buffer: staging, bytesPerRow: paddedRow }, [
    texture.width,
    texture.height,
  ]);
  device.queue.submit([encoder.finish()]);
  try {
    await staging.mapAsync(GPUMapMode.READ);
    const mapped = new Uint8Array(staging.getMappedRange());
    const out = new Float32Array(texture.width * texture.height * 4);
    const bytes = new Uint8Array(out.buffer);
    for (let y = 0; y < texture.height; y++)
      bytes.set(mapped.subarray(y * paddedRow, y * paddedRow + rowBytes), y * rowBytes);
    return out;
  } finally {
    staging.destroy();
  }
}
