import { describe, expect, it } from 'vitest';
import { createCpuSwapper } from '../../src/gpu/cpu-swapper';
import { faceGeometry, MAX_HANDS } from '../../src/gpu/face-geometry';
import { signedInsideDistance } from '../../src/gpu/reference/polygon';
import type { BlendOptions, FacePair } from '../../src/gpu/types';
import { convexHull, handOutline, handsOver, keypointBox } from '../../src/workers/engine/hand-outline';
import { gridFace, gridTopology, syntheticImage } from '../browser/kernels/synthetic-face';

const topology = gridTopology(8);
const options: BlendOptions = {
  strength: 1,
  keepMouth: false,
  keepEyes: false,
  feather: 0.08,
  occlusion: false,
};
const source = syntheticImage(96, 96, 3);
const target = syntheticImage(128, 120, 1);

/** 21 keypoints of a flat, open hand: the wrist at (x, y), fingers pointing up, `size` px tall. */
function openHand(x: number, y: number, size: number): Float32Array {
  const points = [x, y];
  for (let finger = 0; finger < 5; finger++) {
    const dx = (finger - 2) * 0.18 * size;
    for (let joint = 1; joint <= 4; joint++) points.push(x + dx, y - (0.3 + 0.175 * joint) * size);
  }
  return new Float32Array(points);
}

describe('hand outlines', () => {
  it('the hull is convex, counter-clockwise and holds every point', () => {
    const points: [number, number][] = [
      [0, 0],
      [4, 0],
      [4, 3],
      [0, 3],
      [2, 1],
      [1, 2],
    ];
    const hull = convexHull(points);
    expect(hull).toHaveLength(4);
    const flat = new Float32Array(hull.flat());
    for (const [x, y] of points) expect(signedInsideDistance(x, y, flat, 0, 4)).toBeGreaterThanOrEqual(0);
  });

  it('grows the keypoints by about a finger, and picks the hands over a face', () => {
    const keypoints = openHand(60, 100, 50);
    const outline = handOutline(keypoints);
    const [, , w, h] = keypointBox(keypoints);
    for (let i = 0; i < keypoints.length; i += 2) {
      const d = signedInsideDistance(keypoints[i]!, keypoints[i + 1]!, outline, 0, outline.length / 2);
      expect(d).toBeGreaterThan(0.1 * Math.max(w, h));
    }
    const far = handOutline(openHand(400, 400, 50));
    expect(handsOver([40, 40, 50, 50], [far, outline], MAX_HANDS)).toEqual([outline]);
  });
});

describe('hands in front of the face stay in front of the swap', () => {
  const hand = handOutline(openHand(70, 95, 40));
  const face: FacePair = {
    source: gridFace(8, 48, 50, 30, 36),
    target: gridFace(8, 64, 60, 40, 46),
    hands: [hand],
  };
  const swapper = createCpuSwapper();

  it('leaves the pixels inside the hand as the target had them, unless hands are off', async () => {
    const geometry = faceGeometry(face, topology, options, target.width, target.height)!;
    expect(geometry.hands[0]!.count).toBe(hand.length / 2);
    const inHand: number[] = [];
    for (let y = 0; y < target.height; y++)
      for (let x = 0; x < target.width; x++) {
        const p = [x + 0.5, y + 0.5] as const;
        const oval = signedInsideDistance(...p, geometry.polygons, geometry.oval.start, geometry.oval.count);
        if (oval > geometry.featherPx && signedInsideDistance(...p, hand, 0, hand.length / 2) > 0)
          inHand.push(y * target.width + x);
      }
    expect(inHand.length).toBeGreaterThan(200);
    const kept = await swapper.swap(source, target, [face], topology, options);
    for (const p of inHand) {
      expect(kept.touched[p]).toBe(0);
      expect(Array.from(kept.image.data.subarray(p * 4, p * 4 + 4))).toEqual(
        Array.from(target.data.subarray(p * 4, p * 4 + 4)),
      );
    }
    const off = await swapper.swap(source, target, [face], topology, { ...options, hands: false });
    expect(faceGeometry(face, topology, { ...options, hands: false }, 128, 120)!.hands[0]!.count).toBe(0);
    expect(inHand.filter((p) => off.touched[p] === 1).length).toBe(inHand.length);
  });
});
