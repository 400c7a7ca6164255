import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../scripts/models/add.ts';
import { emapMatrix, extractEmap } from '../../scripts/models/emap.ts';
import { swapperWeights, writeContractModels } from '../../scripts/models/generate.ts';
import { mergeModels, presentOperatorModels, readOperatorModels } from '../../scripts/models/operator.ts';
import type { ModelManifest } from '../../src/shared/manifest.ts';
import { checkContract, matchContract, modelContracts } from '../../src/shared/model-contracts.ts';

const dir = mkdtempSync(join(tmpdir(), 'doppel-models-'));
const paths = writeContractModels(join(dir, 'generated'));
const path = (file: string) => paths[file] ?? '';
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function add(args: string[], modelsDir: string) {
  const out: string[] = [];
  const err: string[] = [];
  const code = main(
    [...args, '--models-dir', modelsDir],
    (l) => out.push(l),
    (l) => err.push(l),
  );
  return { code, out: out.join('\n'), err: err.join('\n') };
}
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('emap', () => {
  it('extracts the 512x512 last initializer equal to what the generator wrote', () => {
    const bytes = extractEmap(readFileSync(path('swapper.onnx')));
    expect(bytes.byteLength).toBe(512 * 512 * 4);
    const want = swapperWeights().emap;
    expect(Buffer.from(emapMatrix(bytes).buffer).equals(Buffer.from(want.buffer))).toBe(true);
  });

  it('refuses a model whose last initializer is not 512x512', () => {
    expect(() => extractEmap(readFileSync(path('embedder.onnx')))).toThrow(/not the 512x512 emap/);
  });
});

describe('contracts', () => {
  const swapper = modelContracts.swapper[0]!;
  const good = { inputs: swapper.inputs, outputs: swapper.outputs };
  it('accepts dynamic dims for numeric ones and names the first mismatch', () => {
    expect(checkContract(good, swapper)).toBeNull();
    expect(
      checkContract(
        { ...good, inputs: [good.inputs[0]!, { name: 'source', dtype: 'float32', shape: ['batch', 512] }] },
        swapper,
      ),
    ).toBeNull();
    expect(
      checkContract(
        { ...good, inputs: [good.inputs[0]!, { name: 'source', dtype: 'float32', shape: [1, 256] }] },
        swapper,
      ),
    ).toBe("input 1 'source' has shape [1,256], expected [1,512]");
    expect(
      checkContract(
        { ...good, inputs: [good.inputs[0]!, { name: 'latent', dtype: 'float32', shape: [1, 512] }] },
        swapper,
      ),
    ).toMatch(/named 'latent', expected 'source'/);
    expect(checkContract({ ...good, outputs: [] }, swapper)).toMatch(/0 outputs, expected 1/);
    expect(
      checkContract({ ...good, inputs: [{ ...good.inputs[0]!, dtype: 'int64' }, good.inputs[1]!] }, swapper),
    ).toMatch(/int64/);
  });
  it('a masker may be either form; the error names both', () => {
    const result = matchContract('masker', {
      inputs: [{ name: 'x', dtype: 'float32', shape: [1, 3, 64, 64] }],
      outputs: [],
    });
    expect('error' in result && result.error).toMatch(/^does not fit the masker contract: XSeg.*; BiSeNet/);
  });
});

describe('npm run models:add', () => {
  it('adds a swapper: copies it, extracts the emap, lists both with size and SHA-256, survives a rebuild merge', () => {
    const models = mkdtempSync(join(dir, 'public-'));
    const { code, err } = add(
      [
        path('swapper.onnx'),
        '--role',
        'swapper',
        '--id',
        'inswapper_128',
        '--license',
        'Mine',
        '--license-url',
        'https://x.example/l',
      ],
      models,
    );
    expect(err).toBe('');
    expect(code).toBe(0);
    const manifest = JSON.parse(readFileSync(join(models, 'manifest.json'), 'utf8')) as ModelManifest;
    const entry = manifest.models[0]!;
    const onnx = readFileSync(path('swapper.onnx'));
    const emap = readFileSync(join(models, 'swapper/swapper.onnx.emap.bin'));
    expect(entry).toMatchObject({
      id: 'inswapper_128',
      role: 'swapper',
      contract: 'swapper/inswapper_128',
      license: 'Mine',
      licenseUrl: 'https://x.example/l',
      emap: { path: 'swapper/swapper.onnx.emap.bin', rows: 512, cols: 512 },
      files: [
        { path: 'swapper/swapper.onnx', bytes: onnx.byteLength, sha256: sha256(onnx) },
        { path: 'swapper/swapper.onnx.emap.bin', bytes: 512 * 512 * 4, sha256: sha256(emap) },
      ],
    });
    expect(readFileSync(join(models, 'swapper/swapper.onnx')).equals(onnx)).toBe(true);
    // What scripts/assets.ts does on the next build: built-in entries plus the operator's list.
    const operator = presentOperatorModels(models, readOperatorModels(models), () => {});
    const rebuilt = mergeModels(
      [{ id: 'human-face', role: 'detector', name: 'h', license: 'MIT', files: [] }],
      operator,
    );
    expect(rebuilt.map((m) => m.id)).toEqual(['human-face', 'inswapper_128']);
    // Adding again replaces the entry rather than duplicating it.
    expect(add([path('swapper.onnx'), '--role', 'swapper', '--id', 'inswapper_128'], models).code).toBe(0);
    expect(readOperatorModels(models)).toHaveLength(1);
  });

  it('adds every other role, with the reference license by default', () => {
    const models = mkdtempSync(join(dir, 'public-'));
    for (const [file, role] of [
      ['detector.onnx', 'detector'],
      ['embedder.onnx', 'embedder'],
      ['enhancer.onnx', 'enhancer'],
      ['masker-occlusion.onnx', 'masker'],
      ['masker-region.onnx', 'masker'],
    ]) {
      expect(add([path(file!), '--role', role!], models).code, file).toBe(0);
    }
    const ids = readOperatorModels(models).map((m) => `${m.role}:${m.contract}`);
    expect(ids).toEqual([
      'detector:detector/scrfd_10g',
      'embedder:embedder/arcface_w600k_r50',
      'enhancer:enhancer/gfpgan_1.4',
      'masker:masker/xseg_occlusion',
      'masker:masker/bisenet_region',
    ]);
    expect(readOperatorModels(models)[0]?.licenseUrl).toBe(
      'https://github.com/deepinsight/insightface#license',
    );
  });

  it('refuses a wrong-role model, a truncated file and a non-ONNX file with one line, exit 1, nothing written', () => {
    const models = mkdtempSync(join(dir, 'public-'));
    const wrong = add([path('embedder.onnx'), '--role', 'swapper'], models);
    expect(wrong.code).toBe(1);
    expect(wrong.err).toMatch(
      /^models:add: .*embedder\.onnx does not fit the swapper contract: it has 1 inputs, expected 2 \(target, source\)$/,
    );

    const swapper = readFileSync(path('swapper.onnx'));
    writeFileSync(join(dir, 'cut.onnx'), swapper.subarray(0, swapper.byteLength - 1000));
    const cut = add([join(dir, 'cut.onnx'), '--role', 'swapper'], models);
    expect(cut.code).toBe(1);
    expect(cut.err).toMatch(/cut\.onnx: the ONNX file is truncated or damaged/);

    writeFileSync(join(dir, 'notes.onnx'), 'these are not weights\n'.repeat(50));
    const text = add([join(dir, 'notes.onnx'), '--role', 'detector'], models);
    expect(text.code).toBe(1);
    expect(text.err).toMatch(/notes\.onnx: not an ONNX model/);
    for (const r of [wrong, cut, text]) expect(r.err.split('\n')).toHaveLength(1);
    expect(existsSync(join(models, 'manifest.json'))).toBe(false);
    expect(existsSync(join(models, 'operator.json'))).toBe(false);
  });

  it('usage errors exit 2', () => {
    const models = mkdtempSync(join(dir, 'public-'));
    expect(add([path('swapper.onnx')], models).code).toBe(2);
    expect(add([path('swapper.onnx'), '--role', 'painter'], models).code).toBe(2);
    expect(add(['--role', 'swapper'], models).code).toBe(2);
    expect(add([path('swapper.onnx'), '--role', 'swapper', '--bogus'], models).code).toBe(2);
  });
});
