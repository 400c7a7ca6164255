import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { AutomationSession, isAutomationError } from './lib/automation';
import type { BackendChoice } from '../src/shared/config';

const usage =
  'usage: npm run swap -- --source S --target T --out O [--faces all|0,2] [--engine mesh] [--format png|jpeg] [--backend auto|wasm|webgpu] [--strength 0..1] [--keep-mouth] [--keep-eyes]';
const imageExtensions = new Set(['.jpg', '.jpeg', '.png', '.webp', '.gif', '.bmp', '.avif']);

function fail(reason: string): never {
  console.error(`error: ${reason}`);
  process.exit(2);
}

function parse() {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        source: { type: 'string' },
        target: { type: 'string' },
        out: { type: 'string' },
        faces: { type: 'string', default: 'all' },
        engine: { type: 'string', default: 'mesh' },
        format: { type: 'string' },
        backend: { type: 'string', default: 'auto' },
        strength: { type: 'string', default: '1' },
        'keep-mouth': { type: 'boolean', default: false },
        'keep-eyes': { type: 'boolean', default: false },
      },
    }));
  } catch (error) {
    fail(`${(error as Error).message}; ${usage}`);
  }
  const { source, target, out, faces, engine, backend } = values;
  if (!source || !target || !out) fail(`--source, --target and --out are required; ${usage}`);
  if (engine !== 'mesh') fail(`engine '${engine}' is not available; the built-in engine is 'mesh'`);
  if (!['auto', 'wasm', 'webgpu'].includes(backend)) fail(`--backend must be auto, wasm or webgpu`);
  if (faces !== 'all' && !/^\d+(,\d+)*$/.test(faces)) fail(`--faces must be 'all' or indices like 0,2`);
  const format =
    values.format ??
    (extname(out)
      .toLowerCase()
      .match(/\.jpe?g$/)
      ? 'jpeg'
      : 'png');
  if (format !== 'png' && format !== 'jpeg') fail(`--format must be png or jpeg`);
  const strength = Number(values.strength);
  if (!(strength >= 0 && strength <= 1)) fail('--strength must be a number from 0 to 1');
  return {
    source,
    target,
    out,
    faces: faces === 'all' ? ('all' as const) : faces.split(',').map(Number),
    format: format as 'png' | 'jpeg',
    backend: backend as BackendChoice,
    blend: { strength, keepMouth: values['keep-mouth'], keepEyes: values['keep-eyes'] },
  };
}

function readInput(path: string): string {
  try {
    return readFileSync(path).toString('base64');
  } catch (error) {
    fail(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

const args = parse();
const isDir = (p: string) => {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
};
const targets = isDir(args.target)
  ? readdirSync(args.target)
      .filter((f) => imageExtensions.has(extname(f).toLowerCase()))
      .sort()
      .map((f) => join(args.target, f))
  : [args.target];
if (targets.length === 0) fail(`no images in ${args.target}`);
const folderMode = isDir(args.target);
if (folderMode) mkdirSync(args.out, { recursive: true });
const source = readInput(args.source);
const outputs = targets.map((t) =>
  folderMode
    ? join(args.out, `${basename(t, extname(t))}.${args.format === 'png' ? 'png' : 'jpg'}`)
    : args.out,
);

const session = await AutomationSession.start(args.backend);
let failures = 0;
try {
  for (const [i, target] of targets.entries()) {
    const out = outputs[i] as string;
    const result = await session.swap({
      source,
      target: readInput(target),
      faces: args.faces,
      format: args.format,
      blend: args.blend,
    });
    if (isAutomationError(result)) {
      failures++;
      if (!folderMode) {
        console.error(`error: ${target}: ${result.error.code}: ${result.error.message}`);
        break;
      }
      console.log(JSON.stringify({ target, error: result.error }));
      continue;
    }
    writeFileSync(out, Buffer.from(result.output, 'base64'));
    const ms = Object.fromEntries(Object.entries(result.ms).map(([k, v]) => [k, Math.round(v)]));
    console.log(
      JSON.stringify({
        target,
        out,
        facesFound: result.facesFound,
        facesSwapped: result.facesSwapped,
        sourceFace: { index: result.sourceFace, box: result.sourceBoxes[result.sourceFace]?.map(Math.round) },
        targetFaces: result.targetBoxes.map((b) => b.map(Math.round)),
        backend: result.backend,
        swapper: result.swapper,
        ms,
      }),
    );
  }
} finally {
  await session.close();
}
process.exit(failures > 0 ? 1 : 0);
