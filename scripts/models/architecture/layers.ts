/**
 * A graph builder for the architecture models: nodes plus initializers whose float32 values are
 * generated only when the file is written (see write.ts), so a 554 MB graph can be described,
 * counted and checked without holding its weights. Weights are seeded uniform noise, scaled like
 * He/Kaiming init (variance gain^2 / fan_in) so activations stay finite through deep stacks.
 */
import { node, type Node, type ValueInfo } from '../onnx.ts';

/**
 * A float32 initializer: `values` when given, else uniform in [offset - bound, offset + bound)
 * (exactly `offset` when bound is 0).
 */
export interface FloatInit {
  kind: 'float';
  name: string;
  dims: number[];
  bound: number;
  offset: number;
  values?: number[];
}
export interface Int64Init {
  kind: 'int64';
  name: string;
  values: number[];
}
export type Initializer = FloatInit | Int64Init;

export interface ArchitectureGraph {
  name: string;
  /** Seeds every weight (with the initializer's name). */
  seed: number;
  nodes: Node[];
  initializers: Initializer[];
  inputs: ValueInfo[];
  outputs: ValueInfo[];
}

export const elementCount = (dims: readonly number[]): number => dims.reduce((a, b) => a * b, 1);

/** Number of float32 values in the graph's initializers (its parameters). */
export const parameterCount = (graph: ArchitectureGraph): number =>
  graph.initializers.reduce((sum, init) => sum + (init.kind === 'float' ? elementCount(init.dims) : 0), 0);

/** Channel count scaled by `width` (tiny test graphs), at least 2. */
export const scaled = (channels: number, width: number): number => Math.max(2, Math.round(channels * width));

export interface ConvOptions {
  kernel: number;
  stride?: number;
  pad?: number;
  /** Standard deviation multiplier over 1/sqrt(fan_in): sqrt(2) before a ReLU (He init). */
  gain?: number;
}

export class GraphBuilder {
  readonly nodes: Node[] = [];
  readonly initializers: Initializer[] = [];
  private count = 0;

  constructor(
    readonly name: string,
    readonly seed: number,
  ) {}

  /** A fresh tensor name with a readable prefix. */
  fresh(prefix: string): string {
    return `${prefix}_${this.count++}`;
  }

  /** Random weights with variance gain^2 / fanIn (uniform: bound = gain * sqrt(3 / fanIn)). */
  weight(prefix: string, dims: number[], fanIn: number, gain = 1): string {
    return this.float(prefix, dims, gain * Math.sqrt(3 / fanIn), 0);
  }

  float(prefix: string, dims: number[], bound: number, offset: number): string {
    const name = this.fresh(prefix);
    this.initializers.push({ kind: 'float', name, dims, bound, offset });
    return name;
  }

  int64(prefix: string, values: number[]): string {
    const name = this.fresh(prefix);
    this.initializers.push({ kind: 'int64', name, values });
    return name;
  }

  /** Appends a node; returns its (first) output name. */
  op(
    type: string,
    inputs: string[],
    attrs: Parameters<typeof node>[3] = {},
    floats: readonly string[] = [],
    outputs = [this.fresh(type.toLowerCase())],
  ): string {
    this.nodes.push(node(type, inputs, outputs, attrs, floats));
    return outputs[0]!;
  }

  /** Conv with bias (a BatchNorm after it folded in), every attribute explicit. */
  conv(x: string, cin: number, cout: number, options: ConvOptions): string {
    const { kernel, stride = 1, gain = 1 } = options;
    const pad = options.pad ?? (kernel - 1) >> 1;
    const w = this.weight('conv_w', [cout, cin, kernel, kernel], cin * kernel * kernel, gain);
    return this.op('Conv', [x, w, this.float('conv_b', [cout], 0.01, 0)], {
      kernel_shape: [kernel, kernel],
      strides: [stride, stride],
      pads: [pad, pad, pad, pad],
      dilations: [1, 1],
      group: 1,
    });
  }

  /** Inference-mode BatchNormalization with gamma near 1, beta near 0, running mean 0, variance 1. */
  batchNorm(x: string, channels: number): string {
    return this.op(
      'BatchNormalization',
      [
        x,
        this.float('bn_gamma', [channels], 0.1, 1),
        this.float('bn_beta', [channels], 0.1, 0),
        this.float('bn_mean', [channels], 0, 0),
        this.float('bn_var', [channels], 0, 1),
      ],
      { epsilon: 1e-5 },
      ['epsilon'],
    );
  }

  prelu(x: string, channels: number): string {
    return this.op('PRelu', [x, this.float('prelu_slope', [channels, 1, 1], 0.05, 0.25)]);
  }

  leakyRelu(x: string, alpha = 0.2): string {
    return this.op('LeakyRelu', [x], { alpha }, ['alpha']);
  }

  relu(x: string): string {
    return this.op('Relu', [x]);
  }

  /** y = x W^T + b, W [out, in] as PyTorch's Linear exports it (Gemm transB=1). */
  linear(x: string, inFeatures: number, outFeatures: number, gain = 1, output?: string): string {
    const w = this.weight('gemm_w', [outFeatures, inFeatures], inFeatures, gain);
    const b = this.float('gemm_b', [outFeatures], 0.01, 0);
    return this.op('Gemm', [x, w, b], { transB: 1 }, [], output ? [output] : undefined);
  }

  /** Reflection padding on H and W (PyTorch ReflectionPad2d / padding_mode="reflect"). */
  reflectPad(x: string, pad: number): string {
    return this.op('Pad', [x, this.int64('pads', [0, 0, pad, pad, 0, 0, pad, pad])], { mode: 'reflect' });
  }

  /** 2x upsampling: bilinear with align_corners=False (Resize half_pixel), or nearest. */
  upsample2x(x: string, mode: 'linear' | 'nearest' = 'linear'): string {
    const scales = this.fresh('scales');
    this.initializers.push({
      kind: 'float',
      name: scales,
      dims: [4],
      bound: 0,
      offset: 0,
      values: [1, 1, 2, 2],
    });
    const transform = mode === 'linear' ? 'half_pixel' : 'asymmetric';
    return this.op('Resize', [x, '', scales], {
      mode,
      coordinate_transformation_mode: transform,
      ...(mode === 'nearest' ? { nearest_mode: 'floor' } : {}),
    });
  }

  build(inputs: ValueInfo[], outputs: ValueInfo[]): ArchitectureGraph {
    return {
      name: this.name,
      seed: this.seed,
      nodes: this.nodes,
      initializers: this.initializers,
      inputs,
      outputs,
    };
  }
}
