import type { Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { AutomationSession, isAutomationError } from '../../scripts/lib/automation';
import { makeMovingGif } from '../fixtures/gif';
import { sampleBase64 } from '../fixtures/samples';

/**
 * Reference mode through a GIF (WASM): sample1.jpg's three people, panned across five frames; only
 * the person like the reference face is swapped, in every frame.
 */

let session: AutomationSession;

beforeAll(async () => {
  session = await AutomationSession.start('wasm');
}, 180_000);

afterAll(async () => {
  await session?.close();
});

/** sample1.jpg's faces as the engine finds them (x, y, width, height), left to right. */
const faces: [number, number, number, number][] = [
  [420, 395, 179, 200],
  [838, 447, 199, 200],
  [1488, 230, 184, 187],
];

/** Per frame and per box: mean absolute RGB difference between the two GIFs' frames inside the box. */
function boxDifferences(page: Page, a: Buffer, b: string, boxes: number[][][]): Promise<number[][]> {
  return page.evaluate(
    async ({ a, b, boxes }) => {
      const frames = async (b64: string) => {
        const data = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
        const decoder = new ImageDecoder({ data, type: 'image/gif' });
        await decoder.tracks.ready;
        await decoder.completed;
        const out: ImageData[] = [];
        for (let i = 0; i < decoder.tracks.selectedTrack!.frameCount; i++) {
          const { image } = await decoder.decode({ frameIndex: i });
          const ctx = new OffscreenCanvas(image.displayWidth, image.displayHeight).getContext('2d')!;
          ctx.drawImage(image, 0, 0);
          out.push(ctx.getImageData(0, 0, image.displayWidth, image.displayHeight));
          image.close();
        }
        return out;
      };
      const [before, after] = [await frames(a), await frames(b)];
      return before.map((frame, f) =>
        boxes[f]!.map(([x0, y0, w, h]) => {
          let sum = 0;
          let count = 0;
          for (let y = Math.round(y0!); y < Math.round(y0! + h!); y++)
            for (let x = Math.round(x0!); x < Math.round(x0! + w!); x++) {
              const i = (y * frame.width + x) * 4;
              for (let c = 0; c < 3; c++) sum += Math.abs(frame.data[i + c]! - after[f]!.data[i + c]!);
              count++;
            }
          return sum / count / 3;
        }),
      );
    },
    { a: a.toString('base64'), b, boxes },
  );
}

test('a GIF swapped by reference: only the person like the reference face, in every frame; each face decided once', async () => {
  const gif = await makeMovingGif(session.page, {
    sample: 1,
    crop: [300, 120, 1500, 620],
    scale: 0.4,
    step: [8, 4],
    delays: [100, 100, 100, 100, 100],
    repeat: 0,
  });
  const result = await session.swapAnimation({
    source: sampleBase64(2),
    target: gif.bytes.toString('base64'),
    faces: 'all',
    likeness: { reference: { targetFace: 2 }, threshold: 0.7 },
  });
  if (isAutomationError(result)) throw new Error(`${result.error.code}: ${result.error.message}`);
  expect(result.frames).toBe(5);
  expect(result.facesTracked).toBe(3);
  expect(result.matches?.map((m) => m.sourceFace !== null)).toEqual([false, false, true]);
  expect(result.framesSwapped).toBe(5);
  const boxes = [0, 1, 2, 3, 4].map((f) => faces.map((box) => gif.boxInFrame(box, f)));
  const differences = await boxDifferences(session.page, gif.bytes, result.output, boxes);
  console.log(`mean RGB difference per frame and face: ${JSON.stringify(differences)}`);
  for (const [left, middle, right] of differences) {
    expect(right!).toBeGreaterThan(3 * Math.max(left!, middle!));
  }
});
