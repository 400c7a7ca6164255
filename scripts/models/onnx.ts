/**
 * Reads and writes ONNX ModelProto with protobufjs, using the subset of onnx.proto
 * (https://github.com/onnx/onnx/blob/main/onnx/onnx.proto, proto2, same field numbers) that graphs,
 * tensors and attributes need. Unknown fields (training info, sparse initializers, functions) are skipped.
 */
import protobuf from 'protobufjs';
import type { GraphSignature, TensorInfo } from '../../src/shared/model-contracts.ts';
import { dataTypeName, OnnxReadError } from '../../src/shared/onnx-graph.ts';

// The browser's reader (src/shared/onnx-graph.ts) owns the dtype names and the read error.
export { dataTypeName, OnnxReadError };

const schema = `
syntax = "proto2";
package onnx;
message AttributeProto {
  enum AttributeType { UNDEFINED = 0; FLOAT = 1; INT = 2; STRING = 3; TENSOR = 4; GRAPH = 5;
    FLOATS = 6; INTS = 7; STRINGS = 8; TENSORS = 9; GRAPHS = 10; }
  optional string name = 1;
  optional string ref_attr_name = 21;
  optional string doc_string = 13;
  optional AttributeType type = 20;
  optional float f = 2;
  optional int64 i = 3;
  optional bytes s = 4;
  optional TensorProto t = 5;
  optional GraphProto g = 6;
  repeated float floats = 7;
  repeated int64 ints = 8;
  repeated bytes strings = 9;
  repeated TensorProto tensors = 10;
  repeated GraphProto graphs = 11;
}
message ValueInfoProto { optional string name = 1; optional TypeProto type = 2; optional string doc_string = 3; }
message NodeProto {
  repeated string input = 1;
  repeated string output = 2;
  optional string name = 3;
  optional string op_type = 4;
  optional string domain = 7;
  repeated AttributeProto attribute = 5;
  optional string doc_string = 6;
}
message StringStringEntryProto { optional string key = 1; optional string value = 2; }
message ModelProto {
  optional int64 ir_version = 1;
  repeated OperatorSetIdProto opset_import = 8;
  optional string producer_name = 2;
  optional string producer_version = 3;
  optional string domain = 4;
  optional int64 model_version = 5;
  optional string doc_string = 6;
  optional GraphProto graph = 7;
  repeated StringStringEntryProto metadata_props = 14;
}
message GraphProto {
  repeated NodeProto node = 1;
  optional string name = 2;
  repeated TensorProto initializer = 5;
  optional string doc_string = 10;
  repeated ValueInfoProto input = 11;
  repeated ValueInfoProto output = 12;
  repeated ValueInfoProto value_info = 13;
}
message TensorProto {
  repeated int64 dims = 1;
  optional int32 data_type = 2;
  repeated float float_data = 4 [packed = true];
  repeated int32 int32_data = 5 [packed = true];
  repeated bytes string_data = 6;
  repeated int64 int64_data = 7 [packed = true];
  optional string name = 8;
  optional string doc_string = 12;
  optional bytes raw_data = 9;
  repeated StringStringEntryProto external_data = 13;
  optional int32 data_location = 14;
  repeated double double_data = 10 [packed = true];
  repeated uint64 uint64_data = 11 [packed = true];
}
message TensorShapeProto {
  message Dimension { oneof value { int64 dim_value = 1; string dim_param = 2; } optional string denotation = 3; }
  repeated Dimension dim = 1;
}
message TypeProto {
  message Tensor { optional int32 elem_type = 1; optional TensorShapeProto shape = 2; }
  oneof value { Tensor tensor_type = 1; }
  optional string denotation = 6;
}
message OperatorSetIdProto { optional string domain = 1; optional int64 version = 2; }
`;

const root = protobuf.parse(schema, { keepCase: true }).root;
const ModelType = root.lookupType('onnx.ModelProto');

/** int64 fields decode as Long objects; everything we read fits in a double. */
type Int64 = number | { toNumber(): number };
export const toNumber = (value: Int64 | null | undefined): number =>
  value === null || value === undefined ? 0 : typeof value === 'number' ? value : value.toNumber();

export interface Tensor {
  name?: string;
  dims?: Int64[];
  data_type?: number;
  float_data?: number[];
  raw_data?: Uint8Array;
  data_location?: number;
}
export interface Attribute {
  name: string;
  type: number;
  f?: number;
  i?: Int64;
  s?: Uint8Array;
  t?: Tensor;
  floats?: number[];
  ints?: Int64[];
}
export interface Node {
  input: string[];
  output: string[];
  name?: string;
  op_type: string;
  domain?: string;
  attribute?: Attribute[];
}
export interface ValueInfo {
  name: string;
  type?: {
    tensor_type?: {
      elem_type?: number;
      shape?: { dim?: { dim_value?: Int64; dim_param?: string }[] };
    };
  };
}
export interface Graph {
  name?: string;
  node?: Node[];
  initializer?: Tensor[];
  input?: ValueInfo[];
  output?: ValueInfo[];
}
export interface Model {
  ir_version?: Int64;
  opset_import?: { domain?: string; version?: Int64 }[];
  producer_name?: string;
  graph?: Graph;
}

/** TensorProto.DataType values. */
export const DataType = { FLOAT: 1, UINT8: 2, INT8: 3, INT32: 6, INT64: 7, FLOAT16: 10, DOUBLE: 11 } as const;

/**
 * Decodes an ONNX file. A file that is not protobuf, is cut short, or has no graph with inputs and
 * outputs is an OnnxReadError.
 */
export function decodeModel(bytes: Uint8Array): Model {
  let model: Model;
  try {
    model = ModelType.toObject(ModelType.decode(bytes), { defaults: false, arrays: true }) as Model;
  } catch (error) {
    const reason = (error as Error).message;
    throw new OnnxReadError(
      /index out of range/.test(reason)
        ? `the ONNX file is truncated or damaged (${reason})`
        : `not an ONNX model (${reason})`,
    );
  }
  const graph = model.graph;
  if (toNumber(model.ir_version) <= 0 || !graph || !graph.input?.length || !graph.output?.length) {
    throw new OnnxReadError('not an ONNX model (no IR version or no graph with inputs and outputs)');
  }
  return model;
}

export function encodeModel(model: Model): Uint8Array {
  return ModelType.encode(ModelType.fromObject(model)).finish();
}

function tensorInfo(value: ValueInfo): TensorInfo {
  const type = value.type?.tensor_type;
  const dims = type?.shape?.dim;
  return {
    name: value.name,
    dtype: dataTypeName(type?.elem_type),
    shape: dims
      ? dims.map((d) => (d.dim_value !== undefined ? toNumber(d.dim_value) : (d.dim_param ?? null)))
      : null,
  };
}

/** The graph's real inputs (initializers listed as inputs by old exporters are left out) and outputs. */
export function graphSignature(model: Model): GraphSignature {
  const graph = model.graph ?? {};
  const initializers = new Set((graph.initializer ?? []).map((t) => t.name));
  return {
    inputs: (graph.input ?? []).filter((v) => !initializers.has(v.name)).map(tensorInfo),
    outputs: (graph.output ?? []).map(tensorInfo),
  };
}

// ---- builders for generated graphs ----

/** A float32 initializer stored little-endian in raw_data, as exporters write them. */
export function floatTensor(name: string, dims: readonly number[], values: Float32Array | readonly number[]) {
  const data = Float32Array.from(values);
  if (data.length !== dims.reduce((a, b) => a * b, 1))
    throw new Error(`${name}: ${data.length} values for ${dims}`);
  const raw = new Uint8Array(data.length * 4);
  const view = new DataView(raw.buffer);
  data.forEach((v, i) => view.setFloat32(i * 4, v, true));
  return { name, dims: [...dims], data_type: DataType.FLOAT, raw_data: raw } satisfies Tensor;
}

export function int64Tensor(name: string, values: readonly number[]): Tensor {
  const raw = new Uint8Array(values.length * 8);
  const view = new DataView(raw.buffer);
  values.forEach((v, i) => view.setBigInt64(i * 8, BigInt(v), true));
  return { name, dims: [values.length], data_type: DataType.INT64, raw_data: raw };
}

export function valueInfo(
  name: string,
  shape: readonly (number | string)[],
  elemType = DataType.FLOAT,
): ValueInfo {
  return {
    name,
    type: {
      tensor_type: {
        elem_type: elemType,
        shape: { dim: shape.map((d) => (typeof d === 'number' ? { dim_value: d } : { dim_param: d })) },
      },
    },
  };
}

type AttrValue = number | readonly number[] | string;
/** A node; integer attributes are INT/INTS, attributes named in `floats` are FLOAT/FLOATS. */
export function node(
  op: string,
  inputs: string[],
  outputs: string[],
  attrs: Record<string, AttrValue> = {},
  floats: readonly string[] = [],
): Node {
  const attribute = Object.entries(attrs).map(([name, value]): Attribute => {
    if (typeof value === 'string') return { name, type: 3, s: new TextEncoder().encode(value) };
    const isFloat = floats.includes(name);
    if (typeof value === 'number') return isFloat ? { name, type: 1, f: value } : { name, type: 2, i: value };
    return isFloat ? { name, type: 6, floats: [...value] } : { name, type: 7, ints: [...value] };
  });
  return { input: inputs, output: outputs, name: `${op}_${outputs[0]}`, op_type: op, attribute };
}

export function model(graph: Graph, opset = 17): Model {
  return {
    ir_version: 8,
    opset_import: [{ domain: '', version: opset }],
    producer_name: 'doppel-contract-models',
    graph,
  };
}
