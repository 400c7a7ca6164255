import type { LikenessRequest } from '../../src/app/automation-likeness';

/** `npm run swap`'s flags for swapping by likeness. */
export interface LikenessFlags {
  reference?: string;
  'reference-photo'?: string;
  threshold?: string;
  map?: string;
  'map-sources'?: string;
}

export const likenessUsage =
  'by likeness: [--reference N (a target face) | --reference-photo FILE] [--threshold 0..1] ' +
  '| [--map T:S,... (target face T gets source face S)] [--map-sources b.jpg,c.jpg (their largest faces are numbered after the --source faces)]';

/**
 * The likeness request the flags ask for (photo files still as paths), or the one-line reason they
 * are refused. `facesGiven` is whether --faces chose faces, which likeness replaces.
 */
export function likenessArgs(
  flags: LikenessFlags,
  facesGiven: boolean,
): { request?: LikenessArgs } | { error: string } {
  const reference = flags.reference;
  const photo = flags['reference-photo'];
  const map = flags.map;
  const modes = [reference !== undefined, photo !== undefined, map !== undefined].filter(Boolean).length;
  if (modes === 0) {
    const stray = (['threshold', 'map-sources'] as const).find((f) => flags[f] !== undefined);
    return stray ? { error: `--${stray} needs --reference, --reference-photo or --map` } : {};
  }
  if (modes > 1) return { error: '--reference, --reference-photo and --map exclude each other: give one' };
  if (facesGiven) return { error: '--faces cannot be combined with --reference, --reference-photo or --map' };
  if (flags['map-sources'] !== undefined && map === undefined) return { error: '--map-sources needs --map' };
  let threshold: number | undefined;
  if (flags.threshold !== undefined) {
    threshold = Number(flags.threshold);
    if (flags.threshold.trim() === '' || !(threshold >= 0 && threshold <= 1))
      return { error: '--threshold must be a number from 0 to 1' };
  }
  if (reference !== undefined) {
    if (!/^\d+$/.test(reference)) return { error: '--reference must be a target face index like 0' };
    return { request: { reference: { targetFace: Number(reference) }, threshold } };
  }
  if (photo !== undefined) {
    if (photo === '') return { error: '--reference-photo needs a file' };
    return { request: { referencePhoto: photo, threshold } };
  }
  if (!/^\d+:\d+(,\d+:\d+)*$/.test(map!))
    return { error: '--map must be target:source face pairs like 0:1,2:0' };
  const pairs = map!.split(',').map((p) => p.split(':').map(Number) as [number, number]);
  const targets = pairs.map(([t]) => t);
  if (new Set(targets).size !== targets.length)
    return { error: '--map lists a target face twice: give each target face one source face' };
  const mapSources = flags['map-sources']?.split(',').filter(Boolean) ?? [];
  return { request: { map: pairs, mapSources, threshold } };
}

/** The likeness flags parsed; photos still as paths. */
export interface LikenessArgs {
  reference?: { targetFace: number };
  referencePhoto?: string;
  map?: [number, number][];
  mapSources?: string[];
  threshold?: number;
}

/** The automation page's request, the photos read (base64) by `read`. */
export function likenessRequest(args: LikenessArgs, read: (path: string) => string): LikenessRequest {
  return {
    reference: args.referencePhoto ? { photo: read(args.referencePhoto) } : args.reference,
    map: args.map,
    mapSources: args.mapSources?.map(read),
    threshold: args.threshold,
  };
}
