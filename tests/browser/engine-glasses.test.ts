import { describe, expect, test } from 'vitest';
import { isAutomationError } from '../../scripts/lib/automation';
import { demoPairs, sampleBase64 } from '../fixtures/samples';
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
 * The photo as a PNG with dark spectacles drawn over the face in `box` (a frontal face's box from
 * the mesh: forehead to chin, cheek to cheek): two lenses around where its eyes are, and a bridge.
 */
function drawGlasses(b64: string, box: Box): Promise<string> {
  return session().page.evaluate(
    async ({ b64, box }) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const bitmap = await createImageBitmap(new Blob([bytes]));
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      const ctx = canvas.getContext('2d')!;
      ctx.drawImage(bitmap, 0, 0);
      const [x, y, w, h] = box;
      const eyeY = y + 0.44 * h;
      ctx.strokeStyle = 'rgb(22, 20, 24)';
      ctx.lineWidth = 0.035 * w;
      for (const eyeX of [x + 0.3 * w, x + 0.7 * w]) {
        ctx.beginPath();
        ctx.roundRect(eyeX - 0.18 * w, eyeY - 0.1 * h, 0.36 * w, 0.21 * h, 0.04 * w);
        ctx.stroke();
      }
      ctx.beginPath();
      ctx.moveTo(x + 0.48 * w, eyeY - 0.03 * h);
      ctx.lineTo(x + 0.52 * w, eyeY - 0.03 * h);
      ctx.stroke();
      const png = new Uint8Array(await (await canvas.convertToBlob({ type: 'image/png' })).arrayBuffer());
      let binary = '';
      for (let i = 0; i < png.length; i += 0x8000)
        binary += String.fromCharCode(...png.subarray(i, i + 0x8000));
      return btoa(binary);
    },
    { b64, box },
  );
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
