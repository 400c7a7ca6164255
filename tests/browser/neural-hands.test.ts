import { beforeAll, describe, expect, test } from 'vitest';
import { convexHull, keypointBox } from '../../src/workers/engine/hand-outline';
import { inside, meanDifference } from '../fixtures/frame-difference';
import { boxInMovingCrop, decodeGif, encodeGif, renderMovingCrop, type MovingCrop } from '../fixtures/gif';
import { sampleBase64 } from '../fixtures/samples';
import { handOverFace, overlap, type Analysed, type Box } from './hand-over-face';
import type { NeuralRun } from './neural/neural-checks';
import { useNeuralPage } from './neural-page';

/**
 * Hands in front of a face stay in front of the neural swap (the contract models on WASM: the CPU
 * reference of the paste), on the photo hand-over-face.ts makes: demo photo 2's hand over the cheek
 * of demo photo 1's largest face, and in a GIF of it (the hand follower). The WGSL paste is held to
 * the same reference, hands included, by neural-kernels.test.ts (the hand models on SwiftShader's
 * WebGPU take minutes to start, too long for an end-to-end run here).
 */
const models = '/.cache/models/contract';

const neural = useNeuralPage();
const { checks, errors } = neural;

beforeAll(async () => {
  await checks('importModels', { swapper: `${models}/swapper.onnx`, embedder: `${models}/embedder.onnx` });
  await checks('start', 'wasm');
});

/** Whether (x, y) lies inside the convex polygon `hull` (counter-clockwise). */
function inHull(hull: [number, number][], x: number, y: number): boolean {
  return hull.every(([ax, ay], i) => {
    const [bx, by] = hull[(i + 1) % hull.length]!;
    return (bx - ax) * (y - ay) - (by - ay) * (x - ax) >= 0;
  });
}

/**
 * Pixels of `box` where the result differs from the target, and how many pixels were looked at:
 * those `where` says (pixel centres).
 */
function changedIn(run: NeuralRun, box: Box, where: (x: number, y: number) => boolean) {
  const out = Buffer.from(run.output, 'base64');
  const target = Buffer.from(run.target, 'base64');
  let changed = 0;
  let pixels = 0;
  for (let y = box[1]; y < box[1] + box[3]; y++) {
    for (let x = box[0]; x < box[0] + box[2]; x++) {
      if (!where(x + 0.5, y + 0.5)) continue;
      pixels++;
      const i = (y * run.width + x) * 4;
      if ([0, 1, 2].some((c) => out[i + c] !== target[i + c])) changed++;
    }
  }
  return { changed, pixels };
}

/** The scene's pixels where the hand covers the face, and the face away from where the hand is drawn. */
function regions(
  hand: { keypoints: number[] },
  faceBox: Box,
  drawn: Box,
): Record<'hand' | 'face', [Box, (x: number, y: number) => boolean]> {
  const points = hand.keypoints;
  const hull = convexHull(points.flatMap((v, k) => (k % 2 === 0 ? [[v, points[k + 1]!] as const] : [])));
  const box = faceBox.map(Math.round) as Box;
  const handBox = overlap(box, keypointBox(new Float32Array(points))).map(Math.round) as Box;
  const outsideDrawn = (x: number, y: number) =>
    x < drawn[0] || y < drawn[1] || x > drawn[0] + drawn[2] || y > drawn[1] + drawn[3];
  return { hand: [handBox, (x, y) => inHull(hull, x, y)], face: [box, outsideDrawn] };
}

/** Swaps the source onto every face of `target`; what changed over the hand and over the rest of the face. */
async function swap(target: string, scene: ReturnType<typeof regions>, hands: boolean) {
  const run = await checks<NeuralRun>('swap', 'source', target, {}, [], { hands });
  expect(run).toMatchObject({ engine: 'neural', provider: 'wasm' });
  return { hand: changedIn(run, ...scene.hand), face: changedIn(run, ...scene.face) };
}

describe('hands in front of a face with the neural engine', () => {
  /** The photo made by the first test, where the hand is drawn, the face under it and the hand found. */
  let made: { photo: string; drawn: Box; faceBox: Box; keypoints: number[] } | null = null;

  test('a real hand pasted over a face stays in the result while the face is swapped; with hands off it is swapped over', async () => {
    let photos = 0;
    const analyze = (b64: string) => checks<Analysed>('loadBase64', `photo${photos++}`, b64, true);
    const { target, faceBox, hand, drawn } = await handOverFace(neural.page(), analyze);
    made = { photo: target, drawn, faceBox, keypoints: hand.keypoints };
    await checks('loadBase64', 'source', sampleBase64(3), false);
    const scene = regions(hand, faceBox, drawn);
    const kept = await swap(`photo${photos - 1}`, scene, true);
    console.log(`neural photo, hands kept: ${JSON.stringify(kept)}`);
    // The hand as it was: not one byte changed inside its keypoints' hull; the rest of the face swapped.
    expect(kept.hand.pixels).toBeGreaterThan(400);
    expect(kept.hand.changed).toBe(0);
    expect(kept.face.changed).toBeGreaterThan(kept.face.pixels * 0.3);
    const over = await swap(`photo${photos - 1}`, scene, false);
    console.log(`neural photo, hands off: ${JSON.stringify(over)}`);
    expect(over.hand.changed).toBeGreaterThan(over.hand.pixels * 0.2);
  });

  test('in a GIF: the hand follower keeps the hand in every frame; with hands off it is swapped over', async () => {
    const { photo, drawn, faceBox, keypoints } = made!;
    const [fx, fy, fw, fh] = faceBox;
    const side = 2 * fw;
    const moving: MovingCrop = {
      sample: photo,
      crop: [fx - 0.5 * fw, fy - 0.5 * fh, side, side].map(Math.round) as Box,
      scale: 360 / side,
      step: [8, 5],
      frames: 3,
    };
    const { width, height, frames } = await renderMovingCrop(neural.page(), moving);
    const gif = encodeGif(frames, width, height, [100, 100, 100], 0);
    const shown = (await decodeGif(neural.page(), gif)).frames;
    /** Per frame, the mean difference over the hand where it covers the face, and over the rest of the face. */
    const swapGif = async (hands: boolean) => {
      const result = await checks<{ gif: string; frames: number; framesSwapped: number; engine: string }>(
        'swapGif',
        'source',
        gif.toString('base64'),
        { hands },
      );
      expect(result).toMatchObject({ engine: 'neural', frames: 3, framesSwapped: 3 });
      const output = (await decodeGif(neural.page(), Buffer.from(result.gif, 'base64'))).frames;
      return output.map((frame, i) => {
        const [x0, y0] = boxInMovingCrop(moving, [0, 0, 0, 0], i);
        const at = (v: number, k: number) => (k % 2 === 0 ? x0 : y0) + v * moving.scale;
        const scene = regions(
          { keypoints: keypoints.map(at) },
          boxInMovingCrop(moving, faceBox, i),
          boxInMovingCrop(moving, drawn, i),
        );
        const mean = ([box, where]: (typeof scene)['hand']) =>
          meanDifference(shown[i]!, frame, width, (x, y) => inside(box, x, y) && where(x + 0.5, y + 0.5));
        return { hand: mean(scene.hand), face: mean(scene.face) };
      });
    };
    const kept = await swapGif(true);
    console.log(`neural GIF, hands kept: ${JSON.stringify(kept)}`);
    const over = await swapGif(false);
    console.log(`neural GIF, hands off: ${JSON.stringify(over)}`);
    expect(errors).toEqual([]);
    kept.forEach((frame, i) => {
      expect(frame.hand.count).toBeGreaterThan(300);
      // Within the GIF's requantisation, where the keypoints found in the frame differ a little.
      expect(frame.hand.mean).toBeLessThan(7);
      expect(frame.face.mean).toBeGreaterThan(5);
      expect(over[i]!.hand.mean).toBeGreaterThan(15);
      expect(over[i]!.hand.mean).toBeGreaterThan(2 * frame.hand.mean);
    });
  });
});
