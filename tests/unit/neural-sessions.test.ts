import { describe, expect, it } from 'vitest';
import { contractModels } from '../../scripts/models/generate.ts';
import { encodeModel, model, valueInfo } from '../../scripts/models/onnx.ts';
import { fixedDimensions } from '../../src/workers/neural/sessions';

const generated = (file: string) => {
  const found = contractModels().find((m) => m.file === file);
  if (!found) throw new Error(`no contract model ${file}`);
  return found.bytes;
};

/** A graph with only inputs and outputs: all `fixedDimensions` reads. */
const signatureOnly = (input: (number | string)[]) =>
  encodeModel(
    model({
      name: 'dims',
      input: [valueInfo('input.1', input)],
      output: [valueInfo('683', [1, 512])],
    }),
  );

describe('fixedDimensions (freeDimensionOverrides from the contract)', () => {
  it("sizes SCRFD's symbolic height and width 640, as the engine feeds it", () => {
    expect(fixedDimensions(generated('detector.onnx'), 'detector/scrfd_10g')).toEqual({
      height: 640,
      width: 640,
    });
  });

  it("sizes ArcFace's symbolic batch 1", () => {
    expect(fixedDimensions(generated('embedder.onnx'), 'embedder/arcface_w600k_r50')).toEqual({ None: 1 });
  });

  it('gives nothing for a graph whose inputs are all fixed', () => {
    expect(fixedDimensions(generated('swapper.onnx'), 'swapper/inswapper_128')).toEqual({});
  });

  it('leaves a name free when the contract sizes it two ways, and keeps the others', () => {
    const bytes = signatureOnly(['n', 3, 'n', 'side']);
    expect(fixedDimensions(bytes, 'embedder/arcface_w600k_r50')).toEqual({ side: 112 });
  });

  it('gives nothing for an unknown contract or an unreadable file', () => {
    expect(fixedDimensions(generated('detector.onnx'), 'detector/unknown')).toEqual({});
    expect(fixedDimensions(new Uint8Array([0xff, 0xff, 0xff]), 'detector/scrfd_10g')).toEqual({});
  });
});
