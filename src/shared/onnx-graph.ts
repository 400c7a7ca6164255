/**
 * Reads what the app needs from an ONNX file (ModelProto, https://github.com/onnx/onnx/blob/main/onnx/onnx.proto)
 * without running it and without a protobuf library: the IR version, the graph's inputs and outputs
 * (names, dtypes, shapes) and its initializers' headers, plus the contents of the LAST initializer (the
 * swapper's emap). Raw tensor data is never copied (views into the file's bytes), so a 550 MB swapper
 * costs no second buffer. Used in the browser by "Import model files" and shared with scripts/models.
 */
import type { GraphSignature, TensorInfo } from './model-contracts';

export class OnnxReadError extends Error {}

const dataTypeNames: Record<number, string> = {
  1: 'float32',
  2: 'uint8',
  3: 'int8',
  4: 'uint16',
  5: 'int16',
  6: 'int32',
  7: 'int64',
  9: 'bool',
  10: 'float16',
  11: 'float64',
  16: 'bfloat16',
};
export const dataTypeName = (type: number | undefined): string =>
  dataTypeNames[type ?? 0] ?? `type ${type ?? 0}`;

/** TensorProto.DataType values read here. */
const FLOAT = 1;
const FLOAT16 = 10;

/** An initializer as the emap reader needs it. */
export interface InitializerData {
  name?: string;
  dims: readonly number[];
  data_type?: number;
  raw_data?: Uint8Array;
  float_data?: ArrayLike<number>;
  data_location?: number;
}

export interface OnnxGraph {
  irVersion: number;
  signature: GraphSignature;
  /** Names of every initializer, in file order. */
  initializers: readonly string[];
  /** The last initializer with its data (views into the file). */
  lastInitializer: InitializerData | null;
  /** Whether any initializer is float16 (an fp16 copy: WebGPU needs the shader-f16 feature for it). */
  float16: boolean;
}

const truncated = () => new OnnxReadError('the ONNX file is truncated or damaged');

/** A protobuf wire-format reader over a byte range. */
class Reader {
  pos: number;
  constructor(
    readonly bytes: Uint8Array,
    start = 0,
    readonly end = bytes.byteLength,
  ) {
    this.pos = start;
  }
  get done(): boolean {
    return this.pos >= this.end;
  }
  varint(): number {
    let value = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw truncated();
      const byte = this.bytes[this.pos++]!;
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
      scale *= 128;
    }
    throw new OnnxReadError('not an ONNX model (bad varint)');
  }
  /** Reads a length-delimited field's bounds; the reader moves past it. */
  span(): [number, number] {
    const length = this.varint();
    const start = this.pos;
    if (start + length > this.end) throw truncated();
    this.pos = start + length;
    return [start, start + length];
  }
  sub(): Reader {
    const [start, end] = this.span();
    return new Reader(this.bytes, start, end);
  }
  bytesField(): Uint8Array {
    const [start, end] = this.span();
    return this.bytes.subarray(start, end);
  }
  string(): string {
    return new TextDecoder().decode(this.bytesField());
  }
  skip(wireType: number): void {
    if (wireType === 0) this.varint();
    else if (wireType === 1) this.advance(8);
    else if (wireType === 2) this.span();
    else if (wireType === 5) this.advance(4);
    else throw new OnnxReadError(`not an ONNX model (wire type ${wireType})`);
  }
  advance(count: number): void {
    if (this.pos + count > this.end) throw truncated();
    this.pos += count;
  }
  /** Each field of this message as [field number, wire type]; the callback reads or skips it. */
  fields(read: (field: number, wireType: number) => boolean): void {
    while (!this.done) {
      const tag = this.varint();
      const field = Math.floor(tag / 8);
      const wireType = tag & 7;
      if (field === 0) throw new OnnxReadError('not an ONNX model (field 0)');
      if (!read(field, wireType)) this.skip(wireType);
    }
  }
}

function readValueInfo(reader: Reader): TensorInfo {
  let name = '';
  let dtype: string = dataTypeName(0);
  let shape: (number | string | null)[] | null = null;
  reader.fields((field, wire) => {
    if (field === 1 && wire === 2) name = reader.string();
    else if (field === 2 && wire === 2) {
      const type = reader.sub();
      type.fields((typeField, typeWire) => {
        if (typeField !== 1 || typeWire !== 2) return false; // tensor_type only
        const tensor = type.sub();
        tensor.fields((tensorField, tensorWire) => {
          if (tensorField === 1 && tensorWire === 0) dtype = dataTypeName(tensor.varint());
          else if (tensorField === 2 && tensorWire === 2) {
            const shapeReader = tensor.sub();
            const dims: (number | string | null)[] = [];
            shapeReader.fields((dimField, dimWire) => {
              if (dimField !== 1 || dimWire !== 2) return false;
              const dim = shapeReader.sub();
              let value: number | string | null = null;
              dim.fields((f, w) => {
                if (f === 1 && w === 0) value = dim.varint();
                else if (f === 2 && w === 2) value = dim.string();
                else return false;
                return true;
              });
              dims.push(value);
              return true;
            });
            shape = dims;
          } else return false;
          return true;
        });
        return true;
      });
    } else return false;
    return true;
  });
  return { name, dtype, shape };
}

interface InitializerHeader extends InitializerData {
  dims: number[];
  /** float_data as little-endian float32 byte runs (packed or one value each). */
  floatRuns: Uint8Array[];
}

function readInitializer(reader: Reader): InitializerHeader {
  const tensor: InitializerHeader = { dims: [], floatRuns: [] };
  reader.fields((field, wire) => {
    if (field === 1 && wire === 0) tensor.dims.push(reader.varint());
    else if (field === 1 && wire === 2) {
      const packed = reader.sub();
      while (!packed.done) tensor.dims.push(packed.varint());
    } else if (field === 2 && wire === 0) tensor.data_type = reader.varint();
    else if (field === 8 && wire === 2) tensor.name = reader.string();
    else if (field === 9 && wire === 2) tensor.raw_data = reader.bytesField();
    else if (field === 14 && wire === 0) tensor.data_location = reader.varint();
    else if (field === 4 && wire === 2) tensor.floatRuns.push(reader.bytesField());
    else if (field === 4 && wire === 5) {
      const start = reader.pos;
      reader.advance(4);
      tensor.floatRuns.push(reader.bytes.subarray(start, start + 4));
    } else return false;
    return true;
  });
  return tensor;
}

function floatValues(runs: readonly Uint8Array[]): Float32Array {
  const total = runs.reduce((sum, run) => sum + run.byteLength, 0);
  const values = new Float32Array(Math.floor(total / 4));
  let index = 0;
  for (const run of runs) {
    const view = new DataView(run.buffer, run.byteOffset, run.byteLength);
    for (let offset = 0; offset + 4 <= run.byteLength; offset += 4) {
      values[index++] = view.getFloat32(offset, true);
    }
  }
  return values;
}

/**
 * Reads an ONNX file's graph. A file that is not protobuf, is cut short, or has no graph with inputs
 * and outputs is an OnnxReadError (its message says which).
 */
export function readOnnxGraph(bytes: Uint8Array): OnnxGraph {
  const model = new Reader(bytes);
  let irVersion = 0;
  const inputs: TensorInfo[] = [];
  const outputs: TensorInfo[] = [];
  const initializers: InitializerHeader[] = [];
  try {
    model.fields((field, wire) => {
      if (field === 1 && wire === 0) irVersion = model.varint();
      else if (field === 7 && wire === 2) {
        const graph = model.sub();
        graph.fields((graphField, graphWire) => {
          if (graphWire !== 2) return false;
          if (graphField === 11) inputs.push(readValueInfo(graph.sub()));
          else if (graphField === 12) outputs.push(readValueInfo(graph.sub()));
          else if (graphField === 5) initializers.push(readInitializer(graph.sub()));
          else return false;
          return true;
        });
      } else return false;
      return true;
    });
  } catch (error) {
    if (error instanceof OnnxReadError) throw error;
    throw new OnnxReadError(`not an ONNX model (${(error as Error).message})`);
  }
  if (irVersion <= 0 || inputs.length === 0 || outputs.length === 0) {
    throw new OnnxReadError('not an ONNX model (no IR version or no graph with inputs and outputs)');
  }
  const names = initializers.map((tensor) => tensor.name ?? '');
  const initializerNames = new Set(names);
  const last = initializers.at(-1);
  return {
    irVersion,
    // Old exporters list initializers as graph inputs too: those are not real inputs.
    signature: { inputs: inputs.filter((input) => !initializerNames.has(input.name)), outputs },
    initializers: names,
    float16: initializers.some((tensor) => tensor.data_type === FLOAT16),
    lastInitializer: last
      ? {
          name: last.name,
          dims: last.dims,
          data_type: last.data_type,
          raw_data: last.raw_data,
          data_location: last.data_location,
          float_data: last.floatRuns.length ? floatValues(last.floatRuns) : undefined,
        }
      : null,
  };
}

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

/**
 * The swapper's emap, the 512x512 matrix stored as the graph's LAST initializer (insightface's
 * inswapper.py: `self.emap = numpy_helper.to_array(graph.initializer[-1])`), as little-endian float32
 * bytes (512 * 512 * 4, row-major): the `<model>.emap.bin` format.
 */
export function emapFromInitializer(last: InitializerData | null | undefined): Uint8Array<ArrayBuffer> {
  const dims = last?.dims ?? [];
  if (!last || dims.length !== 2 || dims[0] !== emapSize || dims[1] !== emapSize) {
    throw new OnnxReadError(
      `its last initializer ${last ? `'${last.name ?? ''}' [${dims.join(',')}]` : '(none)'} is not the 512x512 emap`,
    );
  }
  if (last.data_location === 1)
    throw new OnnxReadError('its emap is stored as external data, which is not supported');
  const count = emapSize * emapSize;
  const out = new Uint8Array(new ArrayBuffer(count * 4));
  const view = new DataView(out.buffer);
  const raw = last.raw_data;
  const floats = last.float_data;
  if (last.data_type === FLOAT && raw && raw.byteLength === count * 4) {
    out.set(raw); // ONNX raw_data is little-endian already
  } else if (last.data_type === FLOAT && floats?.length === count) {
    for (let i = 0; i < count; i++) view.setFloat32(i * 4, floats[i]!, true);
  } else if (last.data_type === FLOAT16 && raw && raw.byteLength === count * 2) {
    const halves = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    for (let i = 0; i < count; i++) view.setFloat32(i * 4, halfToFloat(halves.getUint16(i * 2, true)), true);
  } else {
    throw new OnnxReadError(`its emap has data type ${last.data_type ?? 0} or a wrong number of values`);
  }
  return out;
}
