import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { AutomationSession, isAutomationError } from './lib/automation';
import { swapAnimationFile } from './lib/swap-animation';
import { swapVideoFile } from './lib/swap-video';
import type { BackendChoice } from '../src/shared/config';
import type { NeuralOptions, VideoQuality } from '../src/workers/engine/api';
import { printSwapError, roundedMs } from './lib/cli-output';
import { likenessArgs, likenessRequest, likenessUsage } from './lib/likeness-args';

const usage =
  'usage: npm run swap -- --source S --target T --out O (a GIF target with a .gif out swaps every frame) [--faces all|0,2] [--format png|jpeg] [--backend auto|wasm|webgpu] ' +
  'video: --target clip.mp4|.mov|.webm|.mkv --out out.mp4|.webm [--quality low|medium|high] [--trim START-END (seconds)] ' +
  '[--engine builtin|neural] [--source-mouth] [--source-eyes] [--no-occlusion] [--no-hands] built-in: [--strength 0..1] ' +
  'neural: [--pixel-boost 128|256|512] [--restore 0..1] [--mask box|occlusion|region|occlusion,region (repeatable)] [--more-sources a.jpg,b.jpg] ' +
  likenessUsage;
const imageExtensions = new Set(['.jpg', '.jpeg', '.png', '.webp', '.gif', '.bmp', '.avif']);
const videoExtensions = new Set(['.mp4', '.m4v', '.mov', '.webm', '.mkv']);

function fail(reason: string): never {
  console.error(`error: ${reason}`);
  process.exit(2);
}

interface NeuralFlags {
  'pixel-boost'?: string;
  restore?: string;
  mask?: string[];
  'more-sources'?: string;
}

/** The neural engine's options and extra source photos; refused with the built-in engine. */
function neuralArgs(neural: boolean, flags: NeuralFlags) {
  const given = (['pixel-boost', 'restore', 'mask', 'more-sources'] as const).filter(
    (f) => flags[f] !== undefined,
  );
  if (!neural) {
    if (given.length > 0)
      fail(`--${given.join(', --')} ${given.length === 1 ? 'needs' : 'need'} --engine neural`);
    return { moreSources: [] };
  }
  const options: Partial<NeuralOptions> = {};
  if (flags['pixel-boost'] !== undefined) {
    const boost = [128, 256, 512].find((b) => String(b) === flags['pixel-boost']);
    if (!boost) fail('--pixel-boost must be 128, 256 or 512');
    options.pixelBoost = boost as NeuralOptions['pixelBoost'];
  }
  if (flags.restore !== undefined) {
    const restore = Number(flags.restore);
    if (!(restore >= 0 && restore <= 1)) fail('--restore must be a number from 0 to 1');
    options.restore = restore;
  }
  if (flags.mask !== undefined) {
    // The box mask is always on; occlusion and region add theirs (repeated or joined by commas).
    const named = flags.mask.flatMap((value) => value.split(','));
    if (!named.every((name) => ['box', 'occlusion', 'region'].includes(name)))
      fail('--mask must be box, occlusion or region, or several joined by commas (occlusion,region)');
    options.masks = (['occlusion', 'region'] as const).filter((kind) => named.includes(kind));
  }
  const moreSources = flags['more-sources']?.split(',').filter(Boolean) ?? [];
  return { neural: options, moreSources };
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
        engine: { type: 'string', default: 'builtin' },
        format: { type: 'string' },
        backend: { type: 'string', default: 'auto' },
        strength: { type: 'string', default: '1' },
        'source-mouth': { type: 'boolean', default: false },
        'source-eyes': { type: 'boolean', default: false },
        'no-occlusion': { type: 'boolean', default: false },
        'no-hands': { type: 'boolean', default: false },
        'pixel-boost': { type: 'string' },
        restore: { type: 'string' },
        mask: { type: 'string', multiple: true },
        'more-sources': { type: 'string' },
        quality: { type: 'string', default: 'high' },
        trim: { type: 'string' },
        reference: { type: 'string' },
        'reference-photo': { type: 'string' },
        threshold: { type: 'string' },
        map: { type: 'string' },
        'map-sources': { type: 'string' },
      },
    }));
  } catch (error) {
    fail(`${(error as Error).message}; ${usage}`);
  }
  const { source, target, out, faces, engine, backend } = values;
  if (!source || !target || !out) fail(`--source, --target and --out are required; ${usage}`);
  if (!['builtin', 'mesh', 'neural'].includes(engine))
    fail(`--engine must be builtin (alias mesh) or neural`);
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
  if (!['low', 'medium', 'high'].includes(values.quality)) fail('--quality must be low, medium or high');
  const trim = values.trim?.match(/^(\d+(?:\.\d+)?)-(\d+(?:\.\d+)?)$/);
  if (values.trim !== undefined && (!trim || Number(trim[1]) >= Number(trim[2])))
    fail('--trim must be START-END in seconds, START before END, like 1.5-4');
  const likeness = likenessArgs(values, faces !== 'all');
  if ('error' in likeness) fail(likeness.error);
  return {
    likeness: likeness.request,
    quality: values.quality as VideoQuality,
    trim: trim ? { startS: Number(trim[1]), endS: Number(trim[2]) } : undefined,
    engine: engine === 'neural' ? ('neural' as const) : ('builtin' as const),
    ...neuralArgs(engine === 'neural', values),
    source,
    target,
    out,
    faces: faces === 'all' ? ('all' as const) : faces.split(',').map(Number),
    format: format as 'png' | 'jpeg',
    backend: backend as BackendChoice,
    blend: {
      strength,
      keepMouth: !values['source-mouth'],
      keepEyes: !values['source-eyes'],
      occlusion: !values['no-occlusion'],
      hands: !values['no-hands'],
    },
  };
}

/** Exit 2 before any swap when the neural engine's models are not installed (by the operator). */
async function requireNeuralModels(session: AutomationSession): Promise<void> {
  const status = await session.page.evaluate(() => window.doppel.neuralStatus());
  if (!isAutomationError(status) && status.ready) return;
  await session.close();
  const why = isAutomationError(status)
    ? `${status.error.code}: ${status.error.message}`
    : `missing ${status.missing.join(' and ')}`;
  fail(
    `the neural engine's models are not installed: ${why}; add them with \`npm run models:add -- FILE --role swapper|embedder|detector|enhancer|masker\` (see README, "Neural engine: bringing the model weights")`,
  );
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
const animation = extname(args.out).toLowerCase() === '.gif';
const video = !folderMode && videoExtensions.has(extname(args.target).toLowerCase());
const videoContainer = extname(args.out).toLowerCase().slice(1);
if (video && videoContainer !== 'mp4' && videoContainer !== 'webm')
  fail('a video --target needs an --out ending in .mp4 (H.264) or .webm (VP9)');
if (video && args.moreSources.length > 0) fail('a video --target takes no --more-sources');
if (animation && (folderMode || args.moreSources.length > 0))
  fail('a .gif --out needs one GIF --target, and takes no --more-sources');
if (folderMode && (args.likeness?.reference || args.likeness?.map))
  fail(
    'a folder --target takes --reference-photo, not --reference or --map (face numbers differ from photo to photo)',
  );
if (folderMode) mkdirSync(args.out, { recursive: true });
const likeness = args.likeness && likenessRequest(args.likeness, readInput);
const source = readInput(args.source);
const moreSources = args.moreSources.map(readInput);
const outputs = targets.map((t) =>
  folderMode
    ? join(args.out, `${basename(t, extname(t))}.${args.format === 'png' ? 'png' : 'jpg'}`)
    : args.out,
);

const session = await AutomationSession.start(args.backend);
if (args.engine === 'neural') await requireNeuralModels(session);
let failures = 0;
try {
  if (video) {
    const { faces, blend, engine, neural, quality, trim } = args;
    const container = videoContainer as 'mp4' | 'webm';
    const request = { source, faces, blend, engine, neural, quality, trim, container, likeness };
    failures = await swapVideoFile(session, request, args.target, args.out);
  } else if (animation) {
    const target = readInput(args.target);
    const { faces, blend, engine, neural } = args;
    const request = { source, target, faces, blend, engine, neural, likeness };
    failures = await swapAnimationFile(session, request, args.target, args.out);
  } else {
    for (const [i, target] of targets.entries()) {
      const out = outputs[i] as string;
      const result = await session.swap({
        source,
        target: readInput(target),
        faces: args.faces,
        format: args.format,
        blend: args.blend,
        engine: args.engine,
        neural: args.neural,
        moreSources,
        likeness,
      });
      if (isAutomationError(result)) {
        failures++;
        if (!folderMode) {
          printSwapError(target, result);
          break;
        }
        console.log(JSON.stringify({ target, error: result.error }));
        continue;
      }
      writeFileSync(out, Buffer.from(result.output, 'base64'));
      const ms = roundedMs(result.ms);
      console.log(
        JSON.stringify({
          target,
          out,
          facesFound: result.facesFound,
          handsFound: result.handsFound,
          facesSwapped: result.facesSwapped,
          skipped: result.skipped,
          sourceFace: {
            index: result.sourceFace,
            box: result.sourceBoxes[result.sourceFace]?.map(Math.round),
            glasses: result.sourceGlasses,
          },
          targetFaces: result.targetBoxes.map((b) => b.map(Math.round)),
          matches: result.matches,
          // How --map numbers the source faces (the --map-sources photos' faces follow).
          sourceFaces: result.matches && result.sourceBoxes.map((b) => b.map(Math.round)),
          backend: result.backend,
          swapper: result.swapper,
          engine: result.engine,
          provider: result.provider,
          notice: result.notice,
          ms,
        }),
      );
    }
  }
} finally {
  await session.close();
}
process.exit(failures > 0 ? 1 : 0);
