import type { MeasuredLimit } from '../../src/app/limits/limits-data';
import { defaultConfig } from '../../src/shared/config';
import { YAW_LIMIT_DEG } from '../../src/gpu/profile';
import { sampleBase64 } from '../../tests/fixtures/samples';
import type { AutomationSession } from './automation';
import { around, bisect, centre, demoFaces, faceNear, keepSource, probe, type Box } from './limits-probe';

/**
 * The sweeps of `npm run limits` over the demo photos (tests/fixtures/samples.ts): each changes a
 * photo step by step (coarse steps, then bisection) until the engine loses the face, and returns
 * the figure with a picture (JPEG, base64) of the last step that still worked.
 */

export interface SweepResult {
  limit: MeasuredLimit;
  /** JPEG, base64. */
  picture: string;
  /** Engine runs the sweep took. */
  probes: number;
}

/** The side of every picture, in pixels. */
export const pictureSide = 240;

const round = (value: number, to = 1) => Math.round(value / to) * to;

/** The most frontal face of demo photo `n` (least roll and yaw) and the photo's size. */
async function mainFace(session: AutomationSession, n: number) {
  const found = await demoFaces(session, n);
  const turn = (f: (typeof found.faces)[number]) => Math.abs(f.rollDeg) + Math.abs(f.yawDeg ?? 0);
  const face = [...found.faces].sort((a, b) => turn(a) - turn(b))[0];
  if (!face) throw new Error(`demo photo ${n} shows no face`);
  return { face, width: found.width, height: found.height };
}

/**
 * Smallest face found: the photo scaled down (its largest face centred in a 1280×960 grey frame)
 * until that face is lost; bisection on the face's width down to `step` px.
 */
export async function smallestFace(
  session: AutomationSession,
  n: number,
  { frame = [1280, 960] as [number, number], from = 160, to = 4, step = 2 } = {},
): Promise<SweepResult> {
  const photo = sampleBase64(n);
  const { face } = await mainFace(session, n);
  let probes = 1;
  const middle: [number, number] = [frame[0] / 2, frame[1] / 2];
  const found = async (faceWidth: number) => {
    probes++;
    const change = { kind: 'scale' as const, box: face.box, faceWidth, frame };
    const result = await probe(session, { photo, change, swap: false });
    return faceNear(result.faces, middle, faceWidth) !== null;
  };
  if (!(await found(from))) throw new Error(`the face of demo photo ${n} is not found even ${from} px wide`);
  const swept = (await found(to)) ? { holds: to, fails: to } : await bisect(from, to, step, found);
  // Whole pixels: the width bisection held at, rounded up (a larger face is found as well).
  const smallest = Math.ceil(swept.holds);
  const crop = around([middle[0] - smallest / 2, middle[1] - smallest / 2, smallest, smallest], 4, ...frame);
  const shown = await probe(session, {
    photo,
    change: { kind: 'scale', box: face.box, faceWidth: smallest, frame },
    swap: false,
    pictureSide,
    pictureCrop: crop,
  });
  return {
    probes: probes + 1,
    picture: shown.picture!,
    limit: {
      id: 'smallest-face',
      title: 'Smallest face found',
      value: smallest,
      unit: 'px',
      summary:
        swept.fails === swept.holds
          ? `Faces were found at every width down to ${to} pixels: no limit found.`
          : `A face ${smallest} pixels wide in a ${frame.join('×')} photo is found; ${round(swept.fails, 0.1)} pixels wide it is lost.`,
      how: `Demo photo ${n} scaled down, its face centred in a ${frame.join('×')} frame, the face's width bisected between ${from} and ${to} px to ${step} px.`,
      picture: 'smallest-face.jpg',
      caption: `The smallest face still found (${smallest} px wide), enlarged ${(pictureSide / crop[2]).toFixed(1)} times.`,
    },
  };
}

/** The rotated centre of `box` (photo w×h turned `deg` clockwise into its grown canvas). */
function rotatedCentre(box: Box, width: number, height: number, deg: number): [number, number] {
  const r = (deg * Math.PI) / 180;
  const w = Math.ceil(Math.abs(width * Math.cos(r)) + Math.abs(height * Math.sin(r)));
  const h = Math.ceil(Math.abs(width * Math.sin(r)) + Math.abs(height * Math.cos(r)));
  const [cx, cy] = centre(box);
  const [dx, dy] = [cx - width / 2, cy - height / 2];
  return [w / 2 + dx * Math.cos(r) - dy * Math.sin(r), h / 2 + dx * Math.sin(r) + dy * Math.cos(r)];
}

/**
 * Largest roll swapped: the photo turned clockwise in 15° steps, then bisected to `step`°, until
 * its face is no longer found and swapped (the source: demo photo `source`).
 */
export async function largestRoll(
  session: AutomationSession,
  n: number,
  source: number,
  { coarse = 15, step = 2.5, most = 180 } = {},
): Promise<SweepResult> {
  const photo = sampleBase64(n);
  const { face, width, height } = await mainFace(session, n);
  await keepSource(session, source);
  let probes = 2;
  const rolls = new Map<number, number>();
  const swapped = async (deg: number) => {
    probes++;
    const result = await probe(session, { photo, change: { kind: 'rotate', deg }, swap: true });
    const found = faceNear(result.faces, rotatedCentre(face.box, width, height, deg), face.box[2]);
    if (!found) return false;
    const index = result.faces.indexOf(found);
    if (!result.facesSwapped || result.skipped?.includes(index)) return false;
    rolls.set(deg, found.rollDeg);
    return true;
  };
  let last = 0;
  let failed: number | null = null;
  for (let deg = coarse; deg <= most; deg += coarse) {
    if (await swapped(deg)) last = deg;
    else {
      failed = deg;
      break;
    }
  }
  const swept = failed === null ? { holds: last, fails: last } : await bisect(last, failed, step, swapped);
  const turn = swept.holds;
  // The face's roll in the turned photo: its own roll plus the turn (the turn is exact; the engine's
  // own reading of the turned face is given beside it).
  const roll = Math.abs(face.rollDeg + turn);
  const read = rolls.get(turn);
  const shown = await probe(session, {
    photo,
    change: { kind: 'rotate', deg: turn },
    swap: true,
    pictureSide,
  });
  return {
    probes: probes + 1,
    picture: shown.picture!,
    limit: {
      id: 'largest-roll',
      title: 'Largest roll (head tilt) swapped',
      value: round(roll),
      unit: '°',
      summary:
        failed === null
          ? `Faces were found and swapped at every turn up to ${most}°: no limit found.`
          : `A face tilted ${round(roll)}° is found and swapped${read === undefined ? '' : ` (the engine reads ${round(Math.abs(read))}°)`}; tilted ${round(Math.abs(face.rollDeg + swept.fails))}° it is not.`,
      how: `Demo photo ${n} (its face's own roll ${round(face.rollDeg)}°) turned clockwise in ${coarse}° steps, then bisected to ${step}°. Source: demo photo ${source}.`,
      picture: 'largest-roll.jpg',
      caption: `The swap at the largest roll (${round(roll)}°).`,
    },
  };
}

/**
 * Largest yaw swapped: no 2-D change turns a head, so every demo photo is swapped as it is and the
 * faces' own yaw (from the face mesh) is read; the engine leaves faces past YAW_LIMIT_DEG as they are.
 */
export async function largestYaw(
  session: AutomationSession,
  photos: number[],
  source: number,
): Promise<SweepResult> {
  await keepSource(session, source);
  let best: { n: number; yaw: number; box: Box; size: [number, number] } | null = null;
  let faces = 0;
  for (const n of photos) {
    const photo = sampleBase64(n);
    const size = await demoFaces(session, n);
    const result = await probe(session, {
      photo,
      change: { kind: 'size', width: size.width, height: size.height },
      swap: true,
    });
    result.faces.forEach((face, index) => {
      faces++;
      const yaw = Math.abs(face.yawDeg ?? 0);
      if (result.skipped?.includes(index) || !result.facesSwapped) return;
      if (!best || yaw > best.yaw) best = { n, yaw, box: face.box, size: [result.width, result.height] };
    });
  }
  const top = best as { n: number; yaw: number; box: Box; size: [number, number] } | null;
  if (!top) throw new Error('no demo face was swapped');
  const shown = await probe(session, {
    photo: sampleBase64(top.n),
    change: { kind: 'size', width: top.size[0], height: top.size[1] },
    swap: true,
    pictureSide,
    pictureCrop: around(top.box, 2, ...top.size),
  });
  return {
    probes: photos.length * 2 + 2,
    picture: shown.picture!,
    limit: {
      id: 'largest-yaw',
      title: 'Largest yaw (head turn) swapped',
      value: round(top.yaw),
      unit: '°',
      summary: `The most turned of the ${faces} demo faces, ${round(top.yaw)}° from the camera, is swapped; the engine leaves faces turned more than ${YAW_LIMIT_DEG}° as they are.`,
      how: `Demo photos ${photos.join(', ')} swapped as they are; each face's yaw is read from its face mesh (no 2-D change can turn a head). Source: demo photo ${source}.`,
      picture: 'largest-yaw.jpg',
      caption: `The most turned demo face (${round(top.yaw)}°), swapped.`,
    },
  };
}

/**
 * Occlusion: a black bar over the lower part of the face (as a scarf or a hand would), its share of
 * the face's height bisected to `step` until the face is lost.
 */
export async function occlusion(session: AutomationSession, n: number, { step = 0.025 } = {}) {
  const photo = sampleBase64(n);
  const { face, width, height } = await mainFace(session, n);
  let probes = 1;
  const found = async (fraction: number) => {
    probes++;
    const result = await probe(session, {
      photo,
      change: { kind: 'bar', box: face.box, fraction },
      swap: false,
    });
    return faceNear(result.faces, centre(face.box), face.box[2] / 2) !== null;
  };
  const swept = (await found(1)) ? { holds: 1, fails: 1 } : await bisect(0, 1, step, found);
  const shown = await probe(session, {
    photo,
    change: { kind: 'bar', box: face.box, fraction: swept.holds },
    swap: false,
    pictureSide,
    pictureCrop: around(face.box, 1.8, width, height),
  });
  const percent = Math.floor(swept.holds * 100);
  return {
    probes: probes + 1,
    picture: shown.picture!,
    limit: {
      id: 'occlusion',
      title: 'Most of a face covered and still found',
      value: percent,
      unit: '%',
      summary:
        swept.fails === swept.holds
          ? 'The face is found even wholly covered: no limit found.'
          : `With the lower ${percent}% of the face covered the face is still found; with ${Math.ceil(swept.fails * 100)}% covered it is lost.`,
      how: `Demo photo ${n}: a black bar from the chin up over the face box, its share of the face's height bisected to ${step * 100}%.`,
      picture: 'occlusion.jpg',
      caption: `The lower ${percent}% of the face covered, still found.`,
    },
  } satisfies SweepResult;
}

/**
 * Most faces in one photo: the face repeated in an n×n grid of `cell`-px cells, n growing, until not
 * every face is found and swapped; the app keeps at most config.detection.maxFaces.
 */
export async function mostFaces(
  session: AutomationSession,
  n: number,
  source: number,
  { grids = [3, 5, 7, 8, 9], cell = 112 } = {},
): Promise<SweepResult> {
  const photo = sampleBase64(n);
  const { face } = await mainFace(session, n);
  await keepSource(session, source);
  let probes = 2;
  let best: { grid: number; picture: string } | null = null;
  let failedAt: { grid: number; found: number; swapped: number } | null = null;
  for (const grid of grids) {
    probes++;
    const result = await probe(session, {
      photo,
      change: { kind: 'tile', box: face.box, columns: grid, rows: grid, cell },
      swap: true,
      pictureSide,
    });
    const swapped = result.facesSwapped ?? 0;
    if (result.faces.length < grid * grid || swapped < grid * grid) {
      failedAt = { grid, found: result.faces.length, swapped };
      break;
    }
    best = { grid, picture: result.picture! };
  }
  if (!best) throw new Error(`not every face of a ${grids[0]}×${grids[0]} grid was swapped`);
  const most = best.grid * best.grid;
  const cap = defaultConfig.detection.maxFaces;
  return {
    probes,
    picture: best.picture,
    limit: {
      id: 'most-faces',
      title: 'Most faces swapped in one photo',
      value: most,
      unit: 'faces',
      summary: failedAt
        ? `All ${most} faces of a ${best.grid}×${best.grid} grid are found and swapped; of ${failedAt.grid * failedAt.grid}, ${failedAt.found} are found and ${failedAt.swapped} swapped (the app keeps at most ${cap}).`
        : `All ${most} faces are found and swapped: no limit found up to ${most} (the app keeps at most ${cap}).`,
      how: `The face of demo photo ${n} repeated in grids of ${grids.map((g) => `${g}×${g}`).join(', ')} cells of ${cell} px. Source: demo photo ${source}.`,
      picture: 'most-faces.jpg',
      caption: `${most} faces in one photo, all swapped.`,
    },
  };
}

/**
 * Largest image: the photo stretched over growing canvases up to the app's own size check
 * (config.limits), each found and swapped; then one pixel row more, which the app refuses.
 */
export async function largestImage(
  session: AutomationSession,
  n: number,
  source: number,
  {
    sizes = [
      [4000, 3000],
      [8000, 6000],
      [10_000, 5000],
    ] as [number, number][],
  } = {},
): Promise<SweepResult> {
  const photo = sampleBase64(n);
  await keepSource(session, source);
  let probes = 1;
  let best: { size: [number, number]; picture: string } | null = null;
  let failure = '';
  for (const [width, height] of sizes) {
    probes++;
    const result = await probe(session, {
      photo,
      change: { kind: 'size', width, height },
      swap: true,
      pictureSide,
    });
    if (result.refused || !result.facesSwapped) {
      failure = result.refused ?? `at ${width}×${height} no face was swapped`;
      break;
    }
    best = { size: [width, height], picture: result.picture! };
  }
  if (!best) throw new Error(`the smallest size failed: ${failure}`);
  const [width, height] = best.size;
  const beyond = await probe(session, {
    photo,
    change: { kind: 'size', width, height: height + 1 },
    swap: false,
  });
  const megapixels = round((width * height) / 1e6, 0.1);
  const { maxPixels, maxSide } = defaultConfig.limits;
  return {
    probes: probes + 1,
    picture: best.picture,
    limit: {
      id: 'largest-image',
      title: 'Largest photo swapped',
      value: megapixels,
      unit: 'MP',
      summary: `A ${width}×${height} photo (${megapixels} megapixels) is found and swapped; ${beyond.refused ? `${width}×${height + 1} is refused by the app's own size check (at most ${maxPixels / 1e6} megapixels, ${maxSide} pixels a side)` : failure || 'no larger size was tried'}.`,
      how: `Demo photo ${n} stretched over ${sizes.map((s) => s.join('×')).join(', ')} canvases, each analysed and swapped, then one pixel row more. Source: demo photo ${source}.`,
      picture: 'largest-image.jpg',
      caption: `The ${width}×${height} photo, swapped (shown ${pictureSide} px wide).`,
    },
  };
}
