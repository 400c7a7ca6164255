/**
 * The swapper's emap: the 512x512 matrix stored as the graph's LAST initializer (insightface's
 * inswapper.py: `self.emap = numpy_helper.to_array(graph.initializer[-1])`). Read from the ONNX file
 * without running it, and stored as `<model>.emap.bin`: raw little-endian float32, row-major.
 */
import { emapFromInitializer } from '../../src/shared/onnx-graph.ts';
import { decodeModel, toNumber, type Model } from './onnx.ts';

export { emapSize } from '../../src/shared/onnx-graph.ts';

/** The emap of a decoded swapper as little-endian float32 bytes (512 * 512 * 4); shared with the app. */
export function emapFromModel(model: Model): Uint8Array {
  const last = model.graph?.initializer?.at(-1);
  return emapFromInitializer(last && { ...last, dims: (last.dims ?? []).map(toNumber) });
}

export const extractEmap = (onnxBytes: Uint8Array): Uint8Array => emapFromModel(decodeModel(onnxBytes));

/** Reads `<model>.emap.bin` bytes as a Float32Array (row-major 512x512). */
export function emapMatrix(bytes: Uint8Array): Float32Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Float32Array.from({ length: bytes.byteLength / 4 }, (_, i) => view.getFloat32(i * 4, true));
}
