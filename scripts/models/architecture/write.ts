/**
 * Streams an ArchitectureGraph to an ONNX file: the ModelProto and GraphProto headers come from
 * protobufjs (../onnx.ts), then each initializer is generated, written as a TensorProto with raw_data
 * and hashed one at a time, so a 554 MB model never sits in memory as one buffer. The initializers
 * go after the graph's other fields, in the builder's order (the swapper's emap last).
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';
import { endianness } from 'node:os';
import { DataType, encodeModel, type Model } from '../onnx.ts';
import { elementCount, type ArchitectureGraph, type FloatInit, type Initializer } from './layers.ts';

function varint(value: number): number[] {
  const out: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    out.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  out.push(rest);
  return out;
}

const lengthPrefix = (field: number, length: number) => [...varint(field * 8 + 2), ...varint(length)];

/** FNV-1a of the name mixed with the graph's seed: each tensor has its own random stream. */
function tensorSeed(name: string, seed: number): number {
  let hash = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < name.length; i++) hash = Math.imul(hash ^ name.charCodeAt(i), 0x01000193) >>> 0;
  return hash;
}

/** The values of a float initializer (mulberry32 uniform noise, deterministic per name and seed). */
export function initializerValues(init: FloatInit, seed: number): Float32Array {
  const count = elementCount(init.dims);
  if (init.values) return Float32Array.from(init.values);
  const out = new Float32Array(count).fill(init.offset);
  if (init.bound === 0) return out;
  let a = tensorSeed(init.name, seed);
  const scale = (2 * init.bound) / 4294967296;
  for (let i = 0; i < count; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = init.offset - init.bound + ((t ^ (t >>> 14)) >>> 0) * scale;
  }
  return out;
}

function initializerData(init: Initializer, seed: number): Uint8Array {
  if (init.kind === 'float') {
    const values = initializerValues(init, seed);
    return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  }
  const data = new BigInt64Array(init.values.map(BigInt));
  return new Uint8Array(data.buffer);
}

/** TensorProto fields before raw_data: dims (1), data_type (2), name (8). */
function tensorHeader(init: Initializer, dataBytes: number): Uint8Array {
  const dims = init.kind === 'float' ? init.dims : [init.values.length];
  const name = new TextEncoder().encode(init.name);
  return Uint8Array.from([
    ...dims.flatMap((d) => [8, ...varint(d)]),
    16,
    ...varint(init.kind === 'float' ? DataType.FLOAT : DataType.INT64),
    ...lengthPrefix(8, name.length),
    ...name,
    ...lengthPrefix(9, dataBytes),
  ]);
}

const initializerBytes = (init: Initializer): number =>
  (init.kind === 'float' ? elementCount(init.dims) : init.values.length) * (init.kind === 'float' ? 4 : 8);

/** Bytes of an embedded message field's payload: drops the tag and length protobufjs wrote. */
function payloadOf(field: Uint8Array): Uint8Array {
  let pos = 1;
  while ((field[pos] ?? 0) >= 0x80) pos++;
  return field.subarray(pos + 1);
}

export interface WrittenModel {
  bytes: number;
  sha256: string;
}

/** Writes the graph as an ONNX file (opset 17, IR 8); returns its size and SHA-256. */
export function writeGraph(graph: ArchitectureGraph, path: string): WrittenModel {
  if (endianness() !== 'LE') throw new Error('raw_data must be little-endian; this host is big-endian');
  const header = encodeModel({
    ir_version: 8,
    opset_import: [{ domain: '', version: 17 }],
    producer_name: 'doppel-architecture-models',
  } satisfies Model);
  const graphFields = payloadOf(
    encodeModel({
      graph: { name: graph.name, node: graph.nodes, input: graph.inputs, output: graph.outputs },
    }),
  );
  const tensorSizes = graph.initializers.map((init) => {
    const data = initializerBytes(init);
    const head = tensorHeader(init, data).length;
    return { head, data, field: lengthPrefix(5, head + data).length + head + data };
  });
  const graphLength = graphFields.length + tensorSizes.reduce((sum, t) => sum + t.field, 0);

  const hash = createHash('sha256');
  const fd = openSync(path, 'w');
  let bytes = 0;
  const write = (chunk: Uint8Array) => {
    hash.update(chunk);
    for (let offset = 0; offset < chunk.length;)
      offset += writeSync(fd, chunk, offset, chunk.length - offset);
    bytes += chunk.length;
  };
  try {
    write(header);
    write(Uint8Array.from(lengthPrefix(7, graphLength)));
    write(graphFields);
    graph.initializers.forEach((init, i) => {
      const size = tensorSizes[i]!;
      const data = initializerData(init, graph.seed);
      write(Uint8Array.from(lengthPrefix(5, size.head + size.data)));
      write(tensorHeader(init, data.length));
      write(data);
    });
  } finally {
    closeSync(fd);
  }
  return { bytes, sha256: hash.digest('hex') };
}
