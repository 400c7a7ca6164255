/**
 * Contract models: small ONNX graphs with exactly the real inputs, outputs and value ranges of each
 * role (src/shared/model-contracts.ts), whose outputs depend on their inputs in ways a test can check.
 * Deterministic (seeded weights), so the same bytes and SHA-256 every run. Generated at test time,
 * never committed:
 *
 *   npx tsx scripts/models/generate.ts [--out DIR]     (default .cache/models/contract)
 *
 * What each computes (every Conv has explicit kernel_shape, strides, pads, dilations, group):
 * - detector: for stride s in 8/16/32, m = mean of each s x s cell of the input (a Conv);
 *   score = sigmoid(10 m) per anchor (2 per cell), bbox = m + (1, 2, 3, 4), kps[j] = m + 0.1 j.
 *   A white square on black lights up exactly the cells it covers.
 * - embedder: Conv 3->2 (8x8, stride 8, no bias), flatten, MatMul to 512: linear in the input,
 *   so the normalised embedding of k*x equals that of x, and different faces differ.
 * - swapper: output = clip(0.5 target + 0.5 sigmoid(source . P), 0, 1), P 512x3: each output channel is
 *   offset by a different projection of the latent, so sources can be told apart. The LAST
 *   initializer is a 512x512 emap, unused by the graph, as in inswapper_128.
 * - enhancer: output = clip(x with channels reversed, -1, 1) (a 3x3 Conv with pads 1).
 * - masker (occlusion, NHWC): output = clip(mean over channels, 0, 1).
 * - masker (region): 19 logits, class 1 (skin) = red - blue of the normalised input, class 0
 *   (background) = its negative, others 0: reddish pixels are skin, neutral and bluish ones are not,
 *   whatever their brightness (which the occlusion masker follows), so the two masks differ.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { ModelRole } from '../../src/shared/model-contracts.ts';
import {
  encodeModel,
  floatTensor,
  int64Tensor,
  model,
  node,
  valueInfo,
  type Node,
  type Tensor,
} from './onnx.ts';

/** mulberry32: small seeded PRNG, values in [-1, 1). */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  };
}
const randomValues = (count: number, seed: number, scale = 1): Float32Array => {
  const next = random(seed);
  return Float32Array.from({ length: count }, () => next() * scale);
};

const scalar = (name: string, value: number) => floatTensor(name, [], [value]);

function conv(
  input: string,
  weight: string,
  output: string,
  kernel: number,
  stride: number,
  pad: number,
  bias?: string,
) {
  return node('Conv', bias ? [input, weight, bias] : [input, weight], [output], {
    kernel_shape: [kernel, kernel],
    strides: [stride, stride],
    pads: [pad, pad, pad, pad],
    dilations: [1, 1],
    group: 1,
  });
}

export interface ContractModel {
  role: ModelRole;
  file: string;
  bytes: Uint8Array;
}

export interface SwapperWeights {
  /** 512x3, row-major: projection of the source latent onto the three output channels. */
  projection: Float32Array;
  /** 512x512 row-major: the emap stored as the graph's last initializer. */
  emap: Float32Array;
}

export function swapperWeights(): SwapperWeights {
  return { projection: randomValues(512 * 3, 3, 4), emap: randomValues(512 * 512, 4, 0.1) };
}

/** What the contract swapper computes, for tests: out[c][i] = clip(0.5 t[c][i] + 0.5 sigmoid(s . P[:, c])). */
export function swapperReference(
  weights: SwapperWeights,
  target: Float32Array,
  source: Float32Array,
): Float32Array {
  const offsets = [0, 1, 2].map((c) => {
    let dot = 0;
    for (let k = 0; k < 512; k++) dot += (source[k] ?? 0) * (weights.projection[k * 3 + c] ?? 0);
    return 0.5 / (1 + Math.exp(-dot));
  });
  const plane = 128 * 128;
  return target.map((t, i) => Math.min(1, Math.max(0, 0.5 * t + (offsets[Math.floor(i / plane)] ?? 0))));
}

function swapper(): Uint8Array {
  const { projection, emap } = swapperWeights();
  const identity = [0.5, 0, 0, 0, 0.5, 0, 0, 0, 0.5];
  const initializer: Tensor[] = [
    floatTensor('half_identity', [3, 3, 1, 1], identity),
    floatTensor('projection', [512, 3], projection),
    scalar('half', 0.5),
    int64Tensor('offset_shape', [1, 3, 1, 1]),
    scalar('zero', 0),
    scalar('one', 1),
    floatTensor('emap', [512, 512], emap), // last, as in inswapper_128
  ];
  const nodes: Node[] = [
    conv('target', 'half_identity', 'target_half', 1, 1, 0),
    node('MatMul', ['source', 'projection'], ['projected']),
    node('Sigmoid', ['projected'], ['squashed']),
    node('Mul', ['squashed', 'half'], ['offset']),
    node('Reshape', ['offset', 'offset_shape'], ['offset_nchw']),
    node('Add', ['target_half', 'offset_nchw'], ['sum']),
    node('Clip', ['sum', 'zero', 'one'], ['output']),
  ];
  return encodeModel(
    model({
      name: 'contract_swapper',
      node: nodes,
      initializer,
      input: [valueInfo('target', [1, 3, 128, 128]), valueInfo('source', [1, 512])],
      output: [valueInfo('output', [1, 3, 128, 128])],
    }),
  );
}

function embedder(): Uint8Array {
  return encodeModel(
    model({
      name: 'contract_embedder',
      node: [
        conv('input.1', 'patch_weight', 'patches', 8, 8, 0),
        node('Flatten', ['patches'], ['flat'], { axis: 1 }),
        node('MatMul', ['flat', 'dense'], ['683']),
      ],
      initializer: [
        floatTensor('patch_weight', [2, 3, 8, 8], randomValues(2 * 3 * 64, 1, 0.1)),
        floatTensor('dense', [2 * 14 * 14, 512], randomValues(2 * 14 * 14 * 512, 2, 0.1)),
      ],
      input: [valueInfo('input.1', ['None', 3, 112, 112])],
      output: [valueInfo('683', ['None', 512])],
    }),
  );
}

const detectorNames = {
  score: ['448', '471', '494'],
  bbox: ['451', '474', '497'],
  kps: ['454', '477', '500'],
};

function detector(): Uint8Array {
  const initializer: Tensor[] = [scalar('ten', 10)];
  const nodes: Node[] = [];
  const outputs = [];
  const kinds = [
    { kind: 'score', cols: 1, bias: () => 0 },
    { kind: 'bbox', cols: 4, bias: (c: number) => 1 + (c % 4) },
    { kind: 'kps', cols: 10, bias: (c: number) => 0.1 * (c % 10) },
  ] as const;
  for (const { kind, cols, bias } of kinds) {
    for (const [s, stride] of [8, 16, 32].entries()) {
      const channels = 2 * cols; // 2 anchors per cell
      const id = `${kind}${stride}`;
      const out = detectorNames[kind][s] ?? id;
      initializer.push(
        floatTensor(
          `${id}_w`,
          [channels, 3, stride, stride],
          new Float32Array(channels * 3 * stride * stride).fill(1 / (3 * stride * stride)),
        ),
        floatTensor(
          `${id}_b`,
          [channels],
          Array.from({ length: channels }, (_, c) => bias(c)),
        ),
        int64Tensor(`${id}_shape`, [-1, cols]),
      );
      nodes.push(
        conv('input.1', `${id}_w`, `${id}_map`, stride, stride, 0, `${id}_b`),
        node('Transpose', [`${id}_map`], [`${id}_hwc`], { perm: [0, 2, 3, 1] }),
      );
      if (kind === 'score') {
        nodes.push(
          node('Reshape', [`${id}_hwc`, `${id}_shape`], [`${id}_rows`]),
          node('Mul', [`${id}_rows`, 'ten'], [`${id}_logit`]),
          node('Sigmoid', [`${id}_logit`], [out]),
        );
      } else {
        nodes.push(node('Reshape', [`${id}_hwc`, `${id}_shape`], [out]));
      }
      outputs.push({
        order: ['score', 'bbox', 'kps'].indexOf(kind) * 3 + s,
        info: valueInfo(out, [`anchors${stride}`, cols]),
      });
    }
  }
  return encodeModel(
    model({
      name: 'contract_detector',
      node: nodes,
      initializer,
      input: [valueInfo('input.1', [1, 3, 'height', 'width'])],
      output: outputs.sort((a, b) => a.order - b.order).map((o) => o.info),
    }),
  );
}

function enhancer(): Uint8Array {
  const weight = new Float32Array(3 * 3 * 3 * 3);
  for (let o = 0; o < 3; o++) weight[((o * 3 + (2 - o)) * 3 + 1) * 3 + 1] = 1; // centre tap, channel 2 - o
  return encodeModel(
    model({
      name: 'contract_enhancer',
      node: [
        conv('input', 'reverse', 'reversed', 3, 1, 1),
        node('Clip', ['reversed', 'minus_one', 'one'], ['output']),
      ],
      initializer: [floatTensor('reverse', [3, 3, 3, 3], weight), scalar('minus_one', -1), scalar('one', 1)],
      input: [valueInfo('input', [1, 3, 512, 512])],
      output: [valueInfo('output', [1, 3, 512, 512])],
    }),
  );
}

function occlusionMasker(): Uint8Array {
  return encodeModel(
    model({
      name: 'contract_occlusion_masker',
      node: [
        node('ReduceMean', ['input'], ['mean'], { axes: [3], keepdims: 1 }),
        node('Clip', ['mean', 'zero', 'one'], ['output']),
      ],
      initializer: [scalar('zero', 0), scalar('one', 1)],
      input: [valueInfo('input', [1, 256, 256, 3])],
      output: [valueInfo('output', [1, 256, 256, 1])],
    }),
  );
}

function regionMasker(): Uint8Array {
  const weight = new Float32Array(19 * 3);
  weight[0] = -1; // class 0 (background): blue - red
  weight[2] = 1;
  weight[3] = 1; // class 1 (skin): red - blue
  weight[5] = -1;
  return encodeModel(
    model({
      name: 'contract_region_masker',
      node: [conv('input', 'classes', 'output', 1, 1, 0)],
      initializer: [floatTensor('classes', [19, 3, 1, 1], weight)],
      input: [valueInfo('input', [1, 3, 512, 512])],
      output: [valueInfo('output', [1, 19, 512, 512])],
    }),
  );
}

export function contractModels(): ContractModel[] {
  return [
    { role: 'detector', file: 'detector.onnx', bytes: detector() },
    { role: 'embedder', file: 'embedder.onnx', bytes: embedder() },
    { role: 'swapper', file: 'swapper.onnx', bytes: swapper() },
    { role: 'enhancer', file: 'enhancer.onnx', bytes: enhancer() },
    { role: 'masker', file: 'masker-occlusion.onnx', bytes: occlusionMasker() },
    { role: 'masker', file: 'masker-region.onnx', bytes: regionMasker() },
  ];
}

/** Writes every contract model into `dir`; returns their paths by file name. */
export function writeContractModels(dir: string): Record<string, string> {
  mkdirSync(dir, { recursive: true });
  const paths: Record<string, string> = {};
  for (const { file, bytes } of contractModels()) {
    paths[file] = join(dir, file);
    writeFileSync(paths[file], bytes);
  }
  return paths;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { out: { type: 'string', default: '.cache/models/contract' } } });
  const paths = writeContractModels(values.out);
  for (const path of Object.values(paths)) console.log(path);
}
