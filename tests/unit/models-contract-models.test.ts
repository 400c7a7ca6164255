import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { contractModels, swapperReference, swapperWeights } from '../../scripts/models/generate.ts';
import { decodeModel, graphSignature } from '../../scripts/models/onnx.ts';
import { matchContract, modelContracts, type ModelContract } from '../../src/shared/model-contracts.ts';

const models = contractModels();
const sessions = new Map<string, ort.InferenceSession>();
const bytesOf = (file: string) => models.find((m) => m.file === file)?.bytes ?? new Uint8Array();

beforeAll(async () => {
  for (const m of models)
    sessions.set(m.file, await ort.InferenceSession.create(m.bytes, { logSeverityLevel: 3 }));
});

const session = (file: string) => {
  const found = sessions.get(file);
  if (!found) throw new Error(file);
  return found;
};
const tensor = (data: Float32Array, dims: number[]) => new ort.Tensor('float32', data, dims);
const numericShape = (contract: ModelContract['inputs'][number]) =>
  contract.shape.map((d) => (typeof d === 'number' ? d : 1));
const inRange = (data: Float32Array, [lo, hi]: readonly [number, number]) =>
  data.every((v) => v >= lo - 1e-6 && v <= hi + 1e-6);
const fill = (count: number, f: (i: number) => number) =>
  Float32Array.from({ length: count }, (_, i) => f(i));
/** Uniform values in `range`, seeded. */
function uniform(count: number, [lo, hi]: readonly [number, number], seed: number): Float32Array {
  let s = seed;
  return fill(count, () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return lo + (s / 2147483648) * (hi - lo);
  });
}

describe('contract models', () => {
  it('each fits its role contract and runs on onnxruntime-node with the contract shapes and ranges', async () => {
    for (const m of models) {
      const match = matchContract(m.role, graphSignature(decodeModel(m.bytes)));
      if (!('contract' in match)) throw new Error(`${m.file}: ${match.error}`);
      const { contract } = match;
      const s = session(m.file);
      if (contract.names === 'exact') expect(s.inputNames).toEqual(contract.inputs.map((t) => t.name));
      const feeds = Object.fromEntries(
        contract.inputs.map((input, i) => {
          const dims = numericShape(input);
          const count = dims.reduce((a, b) => a * b, 1);
          return [s.inputNames[i], tensor(uniform(count, input.range ?? [-1, 1], i + 7), dims)];
        }),
      );
      const results = await s.run(feeds);
      expect(s.outputNames).toHaveLength(contract.outputs.length);
      contract.outputs.forEach((output, i) => {
        const result = results[s.outputNames[i] ?? ''];
        if (!result) throw new Error(`${m.file}: no output ${i}`);
        expect(result.dims, `${m.file} output ${i}`).toEqual(output.shape);
        if (output.range)
          expect(inRange(result.data as Float32Array, output.range), `${m.file} output ${i} range`).toBe(
            true,
          );
      });
    }
  });

  it('swapper: output follows the formula and tells sources apart', async () => {
    const weights = swapperWeights();
    const target = uniform(3 * 128 * 128, [0, 1], 1);
    const run = async (source: Float32Array) => {
      const out = await session('swapper.onnx').run({
        target: tensor(target, [1, 3, 128, 128]),
        source: tensor(source, [1, 512]),
      });
      return out.output?.data as Float32Array;
    };
    const norm = (v: Float32Array) => v.map((x) => x / Math.hypot(...v));
    const a = norm(uniform(512, [-1, 1], 2));
    const b = norm(uniform(512, [-1, 1], 3));
    const outA = await run(a);
    const outB = await run(b);
    const want = swapperReference(weights, target, a);
    expect(Math.max(...outA.map((v, i) => Math.abs(v - (want[i] ?? 0))))).toBeLessThan(1e-5);
    expect(Math.max(...outA.map((v, i) => Math.abs(v - (outB[i] ?? 0))))).toBeGreaterThan(0.01);
  });

  it('swapper: the emap is the last initializer and unused by the graph, as in inswapper_128', () => {
    const graph = decodeModel(bytesOf('swapper.onnx')).graph;
    expect(graph?.initializer?.at(-1)?.name).toBe('emap');
    expect(graph?.node?.some((n) => n.input.includes('emap'))).toBe(false);
    const convs = graph?.node?.filter((n) => n.op_type === 'Conv') ?? [];
    expect(convs.length).toBeGreaterThan(0);
    for (const c of convs) {
      expect(c.attribute?.map((a) => a.name)).toEqual(
        expect.arrayContaining(['kernel_shape', 'strides', 'pads', 'dilations']),
      );
    }
  });

  it('detector: a white square on black scores only the stride-8 cells it covers, at 640 and at a dynamic 320', async () => {
    for (const size of [640, 320]) {
      const input = new Float32Array(3 * size * size).fill(-127.5 / 128);
      // White square over cells (row 2..3, col 5..6) at stride 8: pixels y 16..31, x 40..55.
      for (let c = 0; c < 3; c++)
        for (let y = 16; y < 32; y++)
          for (let x = 40; x < 56; x++) input[(c * size + y) * size + x] = 127.5 / 128;
      const s = session('detector.onnx');
      const out = await s.run({ [s.inputNames[0] ?? '']: tensor(input, [1, 3, size, size]) });
      const scores = out['448'];
      const cells = size / 8;
      expect(scores?.dims).toEqual([cells * cells * 2, 1]);
      const hot = [...(scores?.data as Float32Array)].flatMap((v, i) => (v > 0.5 ? [i] : []));
      const expected = [2, 3].flatMap((row) =>
        [5, 6].flatMap((col) => [0, 1].map((a) => (row * cells + col) * 2 + a)),
      );
      expect(hot).toEqual(expected);
      const bbox = out['451']?.data as Float32Array;
      expect([...bbox.slice(0, 4)].map((v) => +v.toFixed(3))).toEqual([0.004, 1.004, 2.004, 3.004]);
      expect(out['500']?.dims).toEqual([(size / 32) ** 2 * 2, 10]);
    }
  });

  it('embedder: linear, so the normalised embedding ignores scale and differs between faces', async () => {
    const s = session('embedder.onnx');
    const embed = async (data: Float32Array) => {
      const out = await s.run({ [s.inputNames[0] ?? '']: tensor(data, [1, 3, 112, 112]) });
      const v = out[s.outputNames[0] ?? '']?.data as Float32Array;
      const n = Math.hypot(...v);
      return v.map((x) => x / n);
    };
    const face = uniform(3 * 112 * 112, [-1, 1], 5);
    const other = uniform(3 * 112 * 112, [-1, 1], 6);
    const cos = (a: Float32Array, b: Float32Array) => a.reduce((sum, x, i) => sum + x * (b[i] ?? 0), 0);
    expect(cos(await embed(face), await embed(face.map((x) => x * 0.5)))).toBeCloseTo(1, 5);
    expect(cos(await embed(face), await embed(other))).toBeLessThan(0.9);
  });

  it('enhancer reverses channels; maskers follow the pixels', async () => {
    const plane = 512 * 512;
    const input = fill(3 * plane, (i) => [-0.5, 0, 0.75][Math.floor(i / plane)] ?? 0);
    const enhanced = (await session('enhancer.onnx').run({ input: tensor(input, [1, 3, 512, 512]) })).output
      ?.data as Float32Array;
    expect([enhanced[0], enhanced[plane + 7], enhanced[2 * plane + 9]]).toEqual([0.75, 0, -0.5]);

    const nhwc = fill(256 * 256 * 3, (i) => (i < 3 * 256 * 128 ? 0.9 : 0.1));
    const mask = (await session('masker-occlusion.onnx').run({ input: tensor(nhwc, [1, 256, 256, 3]) }))
      .output?.data as Float32Array;
    expect(mask[0]).toBeCloseTo(0.9, 5);
    expect(mask[256 * 256 - 1]).toBeCloseTo(0.1, 5);

    const region = (
      await session('masker-region.onnx').run({
        input: tensor(
          fill(3 * plane, (i) => [1, 0, -1][Math.floor(i / plane)] ?? 0),
          [1, 3, 512, 512],
        ),
      })
    ).output?.data as Float32Array;
    // Red above blue: skin (class 1) wins over background (class 0).
    expect([region[0], region[plane], region[2 * plane]]).toEqual([-2, 2, 0]);
  });

  it('every role has a contract model', () => {
    expect(new Set(models.map((m) => m.role))).toEqual(new Set(Object.keys(modelContracts)));
  });
});
