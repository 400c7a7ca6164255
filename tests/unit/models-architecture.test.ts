import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import {
  architectureGraph,
  architectureRoles,
  graphContractProblem,
  roleContract,
  writeArchitectureModel,
  type ArchitectureReport,
} from '../../scripts/models/architecture.ts';
import { parameterCount } from '../../scripts/models/architecture/layers.ts';
import { emapFromModel } from '../../scripts/models/emap.ts';
import { decodeModel, graphSignature } from '../../scripts/models/onnx.ts';
import { checkContract } from '../../src/shared/model-contracts.ts';

const dir = mkdtempSync(join(tmpdir(), 'doppel-architecture-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Channel widths / 16: the same layers, small enough for CI. */
const tiny = 1 / 16;
const reports = new Map<string, ArchitectureReport>();
const written = (role: (typeof architectureRoles)[number]) => {
  if (!reports.has(role)) reports.set(role, writeArchitectureModel(role, dir, tiny));
  return reports.get(role)!;
};

function deterministic(dims: number[], lo: number, hi: number, phase = 0): ort.Tensor {
  const data = Float32Array.from(
    { length: dims.reduce((a, b) => a * b, 1) },
    (_, i) => lo + ((Math.sin(i * 12.9898 + phase) + 1) / 2) * (hi - lo),
  );
  return new ort.Tensor('float32', data, dims);
}
const unit = (tensor: ort.Tensor) => {
  const data = tensor.data as Float32Array;
  const norm = Math.hypot(...data);
  return new ort.Tensor(
    'float32',
    data.map((v) => v / norm),
    tensor.dims,
  );
};

describe('architecture models', () => {
  it('have the published parameter counts at full size (counted, not generated)', () => {
    const counts = Object.fromEntries(
      architectureRoles.map((r) => [r, parameterCount(architectureGraph(r))]),
    );
    // inswapper_128: 554,253,681 bytes; w600k_r50: about 174.4 MB; det_10g: about 16.9 MB.
    expect(counts).toEqual({ swapper: 138_556_941, embedder: 43_588_928, detector: 4_225_945 });
    for (const role of architectureRoles)
      expect(graphContractProblem(role, architectureGraph(role))).toBeNull();
  });

  it('declare every Conv attribute explicitly', () => {
    for (const role of architectureRoles) {
      for (const conv of architectureGraph(role, tiny).nodes.filter((n) => n.op_type === 'Conv')) {
        expect(conv.attribute?.map((a) => a.name).sort()).toEqual([
          'dilations',
          'group',
          'kernel_shape',
          'pads',
          'strides',
        ]);
      }
    }
  });

  it('write files that fit the contracts, deterministically, with the emap last', () => {
    for (const role of architectureRoles) {
      const report = written(role);
      const bytes = new Uint8Array(readFileSync(join(dir, report.file)));
      expect(report.bytes).toBe(bytes.byteLength);
      expect(checkContract(graphSignature(decodeModel(bytes)), roleContract(role))).toBeNull();
      if (role === 'swapper') {
        const emap = readFileSync(join(dir, report.emap!.file));
        expect(Buffer.from(emapFromModel(decodeModel(bytes))).equals(emap)).toBe(true);
      }
    }
    const again = writeArchitectureModel('swapper', join(dir, 'again'), tiny);
    expect(again.sha256).toBe(written('swapper').sha256);
  });

  it('run in onnxruntime-node with the contract shapes, finite values and ranges', async () => {
    const inputs = {
      detector: { 'input.1': deterministic([1, 3, 640, 640], -1, 1) },
      embedder: { 'input.1': deterministic([1, 3, 112, 112], -1, 1) },
      swapper: {
        target: deterministic([1, 3, 128, 128], 0, 1),
        source: unit(deterministic([1, 512], -1, 1)),
      },
    };
    for (const role of architectureRoles) {
      const session = await ort.InferenceSession.create(join(dir, written(role).file), {
        logSeverityLevel: 3,
      });
      const outputs = await session.run(inputs[role]);
      for (const want of roleContract(role).outputs) {
        const got = outputs[want.name]!;
        expect(got.dims, `${role} ${want.name}`).toEqual(want.shape);
        const data = got.data as Float32Array;
        expect(data.every(Number.isFinite), `${role} ${want.name} finite`).toBe(true);
        if (want.range) {
          const [lo, hi] = want.range;
          expect(
            data.every((v) => v >= lo && v <= hi),
            `${role} ${want.name} in range`,
          ).toBe(true);
        }
      }
      await session.release();
    }
  });

  it('swapper output depends on the source latent', async () => {
    const session = await ort.InferenceSession.create(join(dir, written('swapper').file), {
      logSeverityLevel: 3,
    });
    const target = deterministic([1, 3, 128, 128], 0, 1);
    const run = async (phase: number) =>
      (await session.run({ target, source: unit(deterministic([1, 512], -1, 1, phase)) })).output!
        .data as Float32Array;
    const [a, b] = [await run(0), await run(1)];
    const meanDifference = a.reduce((sum, v, i) => sum + Math.abs(v - b[i]!), 0) / a.length;
    expect(meanDifference).toBeGreaterThan(0.01);
    await session.release();
  });
});
