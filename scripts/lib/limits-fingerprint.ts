import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { defaultConfig } from '../../src/shared/config';
import { handModels, humanDir, humanModels } from '../assets';

/**
 * The fingerprint of what determines the measured limits: the engine (src/gpu, src/workers/engine),
 * the config values it reads (detection, size limits, blend; not the rest of config.ts, which other
 * features change), the sweeps themselves, the built-in models' bytes and the versions of the
 * libraries that run them. `npm run limits` stores it beside the figures; a unit test
 * (tests/unit/limits-fingerprint.test.ts) fails when the sources have changed since.
 */

/** Folders and files whose every byte counts (line endings normalised). */
export const fingerprintSources = [
  'src/gpu',
  'src/workers/engine',
  'src/shared/image-file.ts',
  'src/app/automation-limits.ts',
  'scripts/lib/limits-sweeps.ts',
  'scripts/lib/limits-probe.ts',
  'scripts/lib/limits-video.ts',
  'bench/video/peak-memory.ts',
];

/** The built-in engine's model files (scripts/assets.ts copies them into public/models/human). */
const modelFiles = [...humanModels, ...handModels].map((name) => `${humanDir}/${name}`);

/** Libraries whose version changes what the models compute. */
const runtimePackages = [
  '@vladmandic/human',
  '@tensorflow/tfjs-backend-wasm',
  '@tensorflow/tfjs-backend-cpu',
  '@tensorflow/tfjs-core',
];

/** The config values the limits depend on. */
const limitsConfig = {
  detection: defaultConfig.detection,
  limits: defaultConfig.limits,
  blend: defaultConfig.blend,
};

function filesUnder(root: string, path: string): string[] {
  const full = join(root, path);
  if (!statSync(full).isDirectory()) return [path];
  return readdirSync(full)
    .flatMap((name) => filesUnder(root, join(path, name)))
    .filter((file) => /\.(ts|tsx|wgsl|json)$/.test(file));
}

function version(root: string, name: string): string {
  try {
    const manifest = JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')) as {
      version: string;
    };
    return manifest.version;
  } catch {
    return 'absent';
  }
}

/** Every input of the fingerprint, by name, in a fixed order: each file's SHA-256, each version. */
export function fingerprintInputs(root = process.cwd()): [string, string][] {
  const sha = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');
  const sources = fingerprintSources
    .flatMap((path) => filesUnder(root, path))
    .map((file) => relative(root, join(root, file)).split('\\').join('/'))
    .sort();
  return [
    ...sources.map((file): [string, string] => [
      file,
      sha(readFileSync(join(root, file), 'utf8').replace(/\r\n/g, '\n')),
    ]),
    ...modelFiles.map((file): [string, string] => [file, sha(readFileSync(join(root, file)))]),
    ...runtimePackages.map((name): [string, string] => [name, version(root, name)]),
    ['config', sha(JSON.stringify(limitsConfig))],
  ];
}

/** SHA-256 (hex) of the inputs, one "name value" line each. */
export function limitsFingerprint(root = process.cwd()): string {
  const lines = fingerprintInputs(root).map(([name, value]) => `${name} ${value}\n`);
  return createHash('sha256').update(lines.join('')).digest('hex');
}
