/**
 * The swapper's emap: the 512x512 matrix stored as the graph's LAST initializer (insightface's
 * inswapper.py: `self.emap = numpy_helper.to_array(graph.initializer[-1])`). Read from the ONNX file
 * without running it, and stored as `<model>.emap.bin`: raw little-endian float32, row-major.
 */
import { DataType, decodeModel, OnnxReadError, toNumber, type Model } from './onnx.ts';

export const emapSize = 512;

/** float16 bits -> float32 value (fp16 copies of the swapper may store the emap as float16). */
function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

/** The emap of a decoded swapper as little-endian float32 bytes (512 * 512 * 4). */
export function emapFromModel(model: Model): Uint8Array {
  const last = model.graph?.initializer?.at(-1);
  const dims = (last?.dims ?? []).map(toNumber);
  if (!last || dims.length !== 2 || dims[0] !== emapSize || dims[1] !== emapSize) {
    throw new OnnxReadError(
      `its last initializer ${last ? `'${last.name ?? ''}' [${dims.join(',')}]` : '(none)'} is not the 512x512 emap`,
    );
  }
  if (last.data_location === 1)
    throw new OnnxReadError('its emap is stored as external data, which is not supported');
  const count = emapSize * emapSize;
  const out = new Uint8Array(count * 4);
  const view = new DataView(out.buffer);
  const raw = last.raw_data;
  if (last.data_type === DataType.FLOAT && raw && raw.byteLength === count * 4) {
    out.set(raw); // ONNX raw_data is little-endian already
  } else if (last.data_type === DataType.FLOAT && last.float_data?.length === count) {
    last.float_data.forEach((v, i) => view.setFloat32(i * 4, v, true));
  } else if (last.data_type === DataType.FLOAT16 && raw && raw.byteLength === count * 2) {
    const halves = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    for (let i = 0; i < count; i++) view.setFloat32(i * 4, halfToFloat(halves.getUint16(i * 2, true)), true);
  } else {
    throw new OnnxReadError(`its emap has data type ${last.data_type ?? 0} or a wrong number of values`);
  }
  return out;
}

export const extractEmap = (onnxBytes: Uint8Array): Uint8Array => emapFromModel(decodeModel(onnxBytes));

/** Reads `<model>.emap.bin` bytes as a Float32Array (row-major 512x512). */
export function emapMatrix(bytes: Uint8Array): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Float32Array.from({ length: bytes.byteLength / 4 }, (_, i) => view.getFloat32(i * 4, true));
}
