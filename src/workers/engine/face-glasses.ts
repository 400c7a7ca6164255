import type { RgbaImage } from '../../gpu/types';

/**
 * Outer and inner ends of the ring of mesh points just outside each eye's contour (the face's right
 * eye first): FaceMesh's own points, which the iris model does not move (eye-refiner.ts), so frames
 * drawn tight around an eye do not shift where they are looked for.
 */
const RIGHT_EYE = [130, 243] as const;
const LEFT_EYE = [359, 463] as const;
/** Cheek and nose points whose luma is the face's skin, away from where lenses sit. */
const SKIN_POINTS = [50, 280, 205, 425, 187, 411, 5, 4];
/** A frame is darker than this fraction of the skin's luma... */
export const FRAME_DARKNESS = 0.55;
/**
 * ...and at least this fraction of it darker than the brightest points on both sides of it along the
 * profile: a rim is a dark line with skin (or a lens) on either side, while a shadow, a lash line,
 * eyeliner or hair at the face's edge darken a profile towards one end.
 */
export const FRAME_CONTRAST = 0.3;
/** Profiles that must cross a frame for the face to wear glasses (of the five). */
export const FRAME_PROFILES = 2;
const PROFILE_SAMPLES = 16;

type Point = [number, number];

/** Luma in 0..1 of the 3x3 mean around (x, y), clamped to the image. */
function luma(image: RgbaImage, x: number, y: number): number {
  let sum = 0;
  const cx = Math.round(x);
  const cy = Math.round(y);
  for (let dy = -1; dy <= 1; dy++) {
    const sy = Math.min(Math.max(cy + dy, 0), image.height - 1);
    for (let dx = -1; dx <= 1; dx++) {
      const sx = Math.min(Math.max(cx + dx, 0), image.width - 1);
      const p = (sy * image.width + sx) * 4;
      sum += 0.299 * image.data[p]! + 0.587 * image.data[p + 1]! + 0.114 * image.data[p + 2]!;
    }
  }
  return sum / (9 * 255);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

/**
 * Whether the face wears glasses: the mesh has no points on spectacles, so look where frames sit, in
 * units of the distance d between the eye centres along the eye line (u) and across it (v): the
 * bridge between the eyes, below each eye (the lower rims) and beside each outer corner. A profile
 * that dips (FRAME_DARKNESS, FRAME_CONTRAST) crosses a dark frame; FRAME_PROFILES of them make
 * glasses. Light or rimless frames are not seen.
 */
export function wearsGlasses(image: RgbaImage, mesh: Float32Array): boolean {
  const at = (i: number): Point => [mesh[i * 2]!, mesh[i * 2 + 1]!];
  const mid = (a: Point, b: Point): Point => [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
  const right = mid(at(RIGHT_EYE[0]), at(RIGHT_EYE[1]));
  const left = mid(at(LEFT_EYE[0]), at(LEFT_EYE[1]));
  const d = Math.hypot(left[0] - right[0], left[1] - right[1]);
  if (!(d > 4)) return false;
  const u: Point = [(left[0] - right[0]) / d, (left[1] - right[1]) / d];
  const v: Point = [-u[1], u[0]];
  const skin = median(SKIN_POINTS.map((i) => luma(image, ...at(i))));
  if (!(skin > 0.05)) return false;
  /** Whether the luma from `from` + a*d*dir to `from` + b*d*dir crosses a frame. */
  const crossesFrame = (from: Point, dir: Point, a: number, b: number) => {
    const profile = Array.from({ length: PROFILE_SAMPLES }, (_, k) => {
      const t = (a + ((b - a) * k) / (PROFILE_SAMPLES - 1)) * d;
      return luma(image, from[0] + dir[0] * t, from[1] + dir[1] * t);
    });
    const brightAfter = [...profile];
    for (let k = brightAfter.length - 2; k >= 0; k--)
      brightAfter[k] = Math.max(brightAfter[k]!, brightAfter[k + 1]!);
    let brightBefore = -Infinity;
    return profile.some((low, k) => {
      brightBefore = Math.max(brightBefore, low);
      return (
        low < FRAME_DARKNESS * skin && Math.min(brightBefore, brightAfter[k]!) - low >= FRAME_CONTRAST * skin
      );
    });
  };
  const back: Point = [-u[0], -u[1]];
  const profiles = [
    crossesFrame(mid(right, left), v, -0.3, 0.1),
    crossesFrame(right, v, 0.2, 0.45),
    crossesFrame(left, v, 0.2, 0.45),
    crossesFrame(at(RIGHT_EYE[0]), back, 0.1, 0.35),
    crossesFrame(at(LEFT_EYE[0]), u, 0.1, 0.35),
  ];
  return profiles.filter(Boolean).length >= FRAME_PROFILES;
}
