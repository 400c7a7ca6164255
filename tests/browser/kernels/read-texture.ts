/**
 * Reads the top-left width x height texels of an rgba32float texture (all of it by default) into a
 * tightly packed Float32Array (4 floats per texel).
 */
export async function readFloatTexture(
  device: GPUDevice,
  texture: GPUTexture,
  width = texture.width,
  height = texture.height,
): Promise<Float32Array> {
  const rowBytes = width * 16;
  const paddedRow = Math.ceil(rowBytes / 256) * 256;
  const staging = device.createBuffer({
    size: paddedRow * height,
    usage: GPUBufferUsage.COPY_DST | GPUBufferUsage.MAP_READ,
  });
  const encoder = device.createCommandEncoder();
  encoder.copyTextureToBuffer({ texture }, { buffer: staging, bytesPerRow: paddedRow }, [width, height]);
  device.queue.submit([encoder.finish()]);
  try {
    await staging.mapAsync(GPUMapMode.READ);
    const mapped = new Uint8Array(staging.getMappedRange());
    const out = new Float32Array(width * height * 4);
    const bytes = new Uint8Array(out.buffer);
    for (let y = 0; y < height; y++)
      bytes.set(mapped.subarray(y * paddedRow, y * paddedRow + rowBytes), y * rowBytes);
    return out;
  } finally {
    staging.destroy();
  }
}
