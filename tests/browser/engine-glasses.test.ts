import { describe, expect, test } from 'vitest';
import { isAutomationError } from '../../scripts/lib/automation';
import { demoPairs, sampleBase64 } from '../fixtures/samples';
import { drawRects } from './draw-rects';
import { analyzeOrThrow, useWasmSession } from './wasm-session';

/**
 * Glasses on the source, on real photos (WASM): none of the demo photos' people wears glasses, and
 * shadows, eyeliner and hair around their eyes must not be taken for frames (the eye zones would
 * then come from the target, as a ring around each eye); dark frames drawn around a real face's eyes
 * are seen.
 */
const session = useWasmSession();

type Box = [number, number, number, number];

async function largestBox(b64: string): Promise<Box> {
  const { faces } = await analyzeOrThrow(session(), b64);
  return faces.map((f) => f.box as Box).reduce((a, b) => (b[2] * b[3] > a[2] * a[3] ? b : a));
}

/**
 * The photo with dark spectacles drawn over the face in `box` (a frontal face's box from the mesh:
 * forehead to chin, cheek to cheek): a lens outlined around where each eye is, and a bridge.
 */
function drawGlasses(b64: string, [x, y, w, h]: Box): Promise<string> {
  const colour = 'rgb(22, 20, 24)';
  const eyeY = y + 0.44 * h;
  const lens = (eyeX: number) => ({
    x: eyeX - 0.18 * w,
    y: eyeY - 0.1 * h,
    width: 0.36 * w,
    height: 0.21 * h,
    colour,
    lineWidth: 0.035 * w,
  });
  const bridge = { x: x + 0.47 * w, y: eyeY - 0.045 * h, width: 0.06 * w, height: 0.03 * h, colour };
  return drawRects(session().page, b64, [lens(x + 0.3 * w), lens(x + 0.7 * w), bridge]);
}

/** Whether the swap took the source's largest face as wearing glasses. */
async function sourceGlasses(source: string, target: string): Promise<boolean> {
  const result = await session().swap({ source, target, faces: [0], format: 'png' });
  if (isAutomationError(result)) throw new Error(`${result.error.code}: ${result.error.message}`);
  expect(result.facesSwapped).toBe(1);
  return result.sourceGlasses;
}

describe('glasses on the source (real photos)', () => {
  test('no demo photo is taken for a face with glasses', async () => {
    const target = sampleBase64(1);
    const flagged = [];
    for (const { source } of demoPairs()) {
      if (await sourceGlasses(sampleBase64(source), target)) flagged.push(source);
    }
    expect(flagged).toEqual([]);
  });

  test('dark frames drawn around a real face are seen as glasses', async () => {
    const photo = sampleBase64(3);
    const box = await largestBox(photo);
    const target = sampleBase64(1);
    expect(await sourceGlasses(photo, target)).toBe(false);
    expect(await sourceGlasses(await drawGlasses(photo, box), target)).toBe(true);
  });
});
