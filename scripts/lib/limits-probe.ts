import type { LimitsFace, LimitsProbeRequest, LimitsProbeResult } from '../../src/app/automation-limits';
import { sampleBase64 } from '../../tests/fixtures/samples';
import { isAutomationError, type AutomationSession } from './automation';

export type { LimitsFace, LimitsProbeResult };
export type Box = [number, number, number, number];

/**
 * The sweeps' view of the automation page: one changed demo photo analysed (and swapped) per call,
 * and the small geometry they share. See src/app/automation-limits.ts for the changes.
 */

export async function probe(
  session: AutomationSession,
  request: LimitsProbeRequest,
): Promise<LimitsProbeResult> {
  const result = await session.page.evaluate((r) => window.doppel.limitsProbe(r), request);
  if (isAutomationError(result)) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result;
}

/** Analyses demo photo `n` as the source of every later swap. */
export async function keepSource(session: AutomationSession, n: number): Promise<void> {
  const result = await session.page.evaluate((b) => window.doppel.limitsSource(b), sampleBase64(n));
  if (isAutomationError(result)) throw new Error(`${result.error.code}: ${result.error.message}`);
}

/** Demo photo `n` as it is: its faces, largest first. */
export async function demoFaces(session: AutomationSession, n: number): Promise<LimitsProbeResult> {
  const photo = sampleBase64(n);
  const size = await imageSize(session, photo);
  const result = await probe(session, { photo, change: { kind: 'size', ...size }, swap: false });
  return { ...result, faces: [...result.faces].sort((a, b) => b.box[2] - a.box[2]) };
}

async function imageSize(session: AutomationSession, photo: string) {
  return session.page.evaluate(async (b64) => {
    const bitmap = await createImageBitmap(new Blob([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))]));
    const size = { width: bitmap.width, height: bitmap.height };
    bitmap.close();
    return size;
  }, photo);
}

export const centre = ([x, y, w, h]: Box): [number, number] => [x + w / 2, y + h / 2];

/** The face found nearest `point` within `reach` px of it, or null. */
export function faceNear(faces: LimitsFace[], point: [number, number], reach: number): LimitsFace | null {
  let best: LimitsFace | null = null;
  let bestDistance = reach;
  for (const face of faces) {
    const [cx, cy] = centre(face.box);
    const distance = Math.hypot(cx - point[0], cy - point[1]);
    if (distance <= bestDistance) [best, bestDistance] = [face, distance];
  }
  return best;
}

/** A square around `box`'s centre, `times` its width, kept inside a w×h image. */
export function around(box: Box, times: number, width: number, height: number): Box {
  const side = Math.min(box[2] * times, width, height);
  const [cx, cy] = centre(box);
  const x = Math.min(Math.max(cx - side / 2, 0), width - side);
  const y = Math.min(Math.max(cy - side / 2, 0), height - side);
  return [x, y, side, side];
}

/**
 * The value nearest `fails` where `test` still holds, to within `step`, by bisection between
 * `holds`, where it is known to hold, and `fails`, where it is known not to (either may be the
 * larger); with the nearest value where it failed.
 */
export async function bisect(
  holds: number,
  fails: number,
  step: number,
  test: (value: number) => Promise<boolean>,
): Promise<{ holds: number; fails: number }> {
  while (Math.abs(fails - holds) > step) {
    const mid = (holds + fails) / 2;
    if (await test(mid)) holds = mid;
    else fails = mid;
  }
  return { holds, fails };
}
