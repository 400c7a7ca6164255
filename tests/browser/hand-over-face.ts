import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { sampleBase64 } from '../fixtures/samples';

/**
 * The photo the hand tests swap, made in the page: the hand that demo photo 2 holds at a face (found
 * by the hand models) is cut out and pasted over the left cheek of demo photo 1's largest face.
 */

export type Box = [number, number, number, number];

/** What an analysis says of a photo: its faces' boxes and its hands. */
export interface Analysed {
  faces: { box: number[] }[];
  hands: { box: number[]; keypoints: number[] }[];
}

export const overlap = (a: Box, b: Box): Box => {
  const x = Math.max(a[0], b[0]);
  const y = Math.max(a[1], b[1]);
  return [x, y, Math.min(a[0] + a[2], b[0] + b[2]) - x, Math.min(a[1] + a[3], b[1] + b[3]) - y];
};

/** `photo` with the `from` box of `donor` drawn into the `to` box, as a PNG (base64). */
export function pasteBox(page: Page, photo: string, donor: string, from: Box, to: Box): Promise<string> {
  return page.evaluate(
    async ({ photo, donor, from, to }) => {
      const decode = async (b64: string) =>
        createImageBitmap(new Blob([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))]));
      const [base, hand] = [await decode(photo), await decode(donor)];
      const canvas = new OffscreenCanvas(base.width, base.height);
      const ctx = canvas.getContext('2d')!;
      ctx.drawImage(base, 0, 0);
      ctx.drawImage(hand, ...from, ...to);
      const png = new Uint8Array(await (await canvas.convertToBlob({ type: 'image/png' })).arrayBuffer());
      let binary = '';
      for (let i = 0; i < png.length; i += 0x8000)
        binary += String.fromCharCode(...png.subarray(i, i + 0x8000));
      return btoa(binary);
    },
    { photo, donor, from, to },
  );
}

/**
 * Makes the photo and analyses it (`analyze` with the hand models on): the PNG, the face under the
 * hand (its index and box), the hand found over it, and the part of the hand's box inside the face.
 */
export async function handOverFace(page: Page, analyze: (b64: string) => Promise<Analysed>) {
  const donor = sampleBase64(2);
  const donorHands = (await analyze(donor)).hands;
  expect(donorHands.length).toBeGreaterThan(0);
  const [hx, hy, hw, hh] = donorHands[0]!.box as Box;
  const from: Box = [hx - 0.1 * hw, hy - 0.1 * hh, 1.2 * hw, 1.2 * hh].map(Math.round) as Box;

  const photo = sampleBase64(1);
  const faces = (await analyze(photo)).faces;
  const [fx, fy, fw, fh] = faces.reduce((a, b) => (b.box[2]! * b.box[3]! > a.box[2]! * a.box[3]! ? b : a))
    .box as Box;
  const width = 0.6 * fw;
  const height = (width * from[3]) / from[2];
  const to: Box = [fx - 0.05 * fw, fy + 0.55 * fh - height / 2, width, height].map(Math.round) as Box;
  const target = await pasteBox(page, photo, donor, from, to);

  const analysed = await analyze(target);
  const distance = (b: number[]) => Math.hypot(b[0]! - fx, b[1]! - fy);
  const face = analysed.faces.reduce(
    (best, f, i) => (distance(f.box) < distance(analysed.faces[best]!.box) ? i : best),
    0,
  );
  const faceBox = analysed.faces[face]!.box as Box;
  expect(distance(faceBox)).toBeLessThan(0.3 * fw);
  const hand = analysed.hands.find((h) => {
    const [, , w, h2] = overlap(h.box as Box, to);
    return w > 0 && h2 > 0;
  });
  expect(hand, 'the hand models find the pasted hand').toBeDefined();
  // The hand over the face: the part of it the swap could paint over.
  const inside = overlap(hand!.box as Box, faceBox).map(Math.round) as Box;
  return { target, face, faceBox, hand: hand!, drawn: to, inside };
}
