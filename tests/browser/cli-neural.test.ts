import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { extraModelsEnv } from '../../scripts/lib/extra-models';
import { startPreview } from '../../scripts/lib/preview';
import { addModel } from '../../scripts/models/add';
import { writeContractModels } from '../../scripts/models/generate';
import { samplePath } from '../fixtures/samples';

/**
 * `npm run swap -- --engine neural`: its options' usage errors, the models an operator must add, and
 * a swap with the contract models added by `models:add` into a folder the preview server serves
 * beside the build (scripts/lib/extra-models.ts), as an operator's public/models would be.
 */

function swapCli(args: string[], env: NodeJS.ProcessEnv = process.env) {
  const run = spawnSync('npx', ['tsx', 'scripts/swap.ts', ...args], {
    encoding: 'utf8',
    timeout: 300_000,
    env,
  });
  return { status: run.status, stdout: run.stdout.trim(), stderr: run.stderr.trim() };
}

const io = ['--source', samplePath(3), '--target', samplePath(2), '--out', 'c.png'];

/** Builds the app first when it is stale, so the CLI's stderr holds only its own line. */
beforeAll(async () => {
  const { server } = await startPreview();
  await server.close();
});

describe('npm run swap --engine neural', () => {
  test('neural options are checked, and refused with the built-in engine, before starting a browser', () => {
    const cases: [string[], string][] = [
      [['--engine', 'neural', '--pixel-boost', '300'], 'error: --pixel-boost must be 128, 256 or 512'],
      [
        ['--engine', 'neural', '--mask', 'occlusion,hair'],
        'error: --mask must be box, occlusion or region, or several joined by commas (occlusion,region)',
      ],
      [['--mask', 'box'], 'error: --mask needs --engine neural'],
      [
        ['--engine', 'mesh', '--pixel-boost', '256', '--restore', '1'],
        'error: --pixel-boost, --restore need --engine neural',
      ],
      [['--engine', 'gan'], 'error: --engine must be builtin (alias mesh) or neural'],
      [['--engine', 'neural', '--more-sources', 'missing.jpg'], 'error: cannot read missing.jpg: ENOENT'],
    ];
    for (const [args, message] of cases) {
      const run = swapCli([...io, ...args]);
      expect(run.status, args.join(' ')).toBe(2);
      expect(run.stderr).toBe(message);
    }
  });

  test('with the models added by the operator: swaps every target face with the neural engine, under both model masks', () => {
    const dir = mkdtempSync(join(tmpdir(), 'doppel-cli-models-'));
    const contract = writeContractModels(join(dir, 'contract'));
    const modelsDir = join(dir, 'models');
    addModel({ file: contract['swapper.onnx']!, role: 'swapper', modelsDir });
    addModel({ file: contract['embedder.onnx']!, role: 'embedder', modelsDir });
    // Both maskers beside each other, their masks on together (the flag repeated, and joined).
    addModel({ file: contract['masker-occlusion.onnx']!, role: 'masker', modelsDir });
    addModel({ file: contract['masker-region.onnx']!, role: 'masker', modelsDir });
    const out = join(dir, 'out.png');
    const run = swapCli(
      [
        '--engine',
        'neural',
        '--backend',
        'wasm',
        '--pixel-boost',
        '256',
        '--mask',
        'occlusion',
        '--mask',
        'box,region',
        ...io.slice(0, 4),
        '--out',
        out,
      ],
      { ...process.env, [extraModelsEnv]: modelsDir },
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const line = JSON.parse(run.stdout) as {
      facesSwapped: number;
      engine: string;
      provider: string;
      ms: object;
    };
    expect(line).toMatchObject({ facesSwapped: 3, engine: 'neural', provider: 'wasm' });
    expect(Object.keys(line.ms)).toEqual(expect.arrayContaining(['align', 'embed', 'swap', 'paste', 'mask']));
    expect([...readFileSync(out).subarray(1, 4)]).toEqual([0x50, 0x4e, 0x47]);
  });

  test.skipIf(existsSync('public/models/operator.json'))(
    'without the operator’s models: exit 2 with one line naming them and `npm run models:add`',
    () => {
      const out = join(mkdtempSync(join(tmpdir(), 'doppel-cli-neural-')), 'o.png');
      const run = swapCli([
        '--engine',
        'neural',
        '--source',
        samplePath(3),
        '--target',
        samplePath(2),
        '--out',
        out,
      ]);
      expect(run.status).toBe(2);
      expect(run.stderr.split('\n')).toHaveLength(1);
      expect(run.stderr).toMatch(
        /^error: the neural engine's models are not installed: missing .*inswapper_128.* and .*w600k_r50/,
      );
      expect(run.stderr).toContain('npm run models:add');
      expect(run.stdout).toBe('');
      expect(existsSync(out)).toBe(false);
    },
  );
});
