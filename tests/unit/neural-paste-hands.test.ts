import { describe, expect, it } from 'vitest';
import { handHolesValue, packHands } from '../../src/gpu/reference/hand-holes';
import { pasteReference, pasteRegion, type PasteParams } from '../../src/gpu/reference/neural-paste';
import type { RgbaImage } from '../../src/gpu/types';

/** A square outline (counter-clockwise x, y pairs) from (x0, y0) to (x1, y1). */
const square = (x0: number, y0: number, x1: number, y1: number) =>
  new Float32Array([x0, y0, x1, y0, x1, y1, x0, y1]);

const smoothstep = (t: number) => t * t * (3 - 2 * t);

describe('handHolesValue', () => {
  const hands = packHands({ outlines: [square(20, 20, 40, 40)], featherPx: 8 });

  it('is 0 inside the outline, 1 from half the feather outside it, a smooth ramp between', () => {
    // Pixel (x, y) is tested at its centre (x + 0.5, y + 0.5).
    for (const [x, y] of [
      [20, 20],
      [29.5, 29.5],
      [39, 39],
    ] as const)
      expect(handHolesValue(x, y, hands)).toBe(0);
    expect(handHolesValue(43.5, 29.5, hands)).toBe(1);
    expect(handHolesValue(0, 0, hands)).toBe(1);
    // 1 and 3 pixels right of the edge, of a 4-pixel ramp.
    expect(handHolesValue(40.5, 29.5, hands)).toBeCloseTo(smoothstep(0.25), 12);
    expect(handHolesValue(42.5, 29.5, hands)).toBeCloseTo(smoothstep(0.75), 12);
    expect(handHolesValue(29.5, 16.5, hands)).toBeCloseTo(smoothstep(0.75), 12);
  });

  it('takes the minimum of the hands, and leaves out outlines of fewer than 3 points', () => {
    const two = packHands({ outlines: [square(20, 20, 40, 40), square(41, 20, 60, 40)], featherPx: 8 });
    expect(two.ranges).toEqual([
      [0, 4],
      [4, 4],
    ]);
    const degenerate = packHands({
      outlines: [new Float32Array([0, 0, 5, 5]), square(41, 20, 60, 40)],
      featherPx: 8,
    });
    expect(degenerate.ranges).toEqual([[0, 4]]);
    expect(degenerate.points).toEqual(square(41, 20, 60, 40));
    // Half a pixel from both squares: the nearer edge's ramp, not their product.
    expect(handHolesValue(40, 29.5, two)).toBeCloseTo(smoothstep(0.125), 12);
    expect(handHolesValue(50, 29.5, two)).toBe(0);
  });

  it('rejects more than two hands and outlines that are not x, y pairs', () => {
    const outline = square(0, 0, 5, 5);
    expect(() => packHands({ outlines: [outline, outline, outline], featherPx: 4 })).toThrow(/at most 2/);
    expect(() => packHands({ outlines: [new Float32Array(7)], featherPx: 4 })).toThrow(/pairs/);
    expect(() => packHands({ outlines: [outline], featherPx: NaN })).toThrow(/feather/);
  });
});

describe('pasteReference with hands', () => {
  const width = 80;
  const frame: RgbaImage = {
    width,
    height: width,
    data: Uint8ClampedArray.from({ length: width * width * 4 }, (_, i) =>
      i % 4 === 3 ? 255 : (i * 7) % 256,
    ),
  };
  // A 64-px crop of white over the frame from (8, 8), hard box mask: every pixel of the square is pasted.
  const size = 64;
  const params: PasteParams = {
    toCrop: [1, 0, -8, 0, 1, -8],
    size,
    outScale: 255,
    outOffset: 0,
    mask: { blur: 0, padding: [0, 0, 0, 0] },
    amount: 1,
    region: pasteRegion([1, 0, -8, 0, 1, -8], size, width, width),
  };
  const crop = new Float32Array(3 * size * size).fill(1);
  const paste = (p: PasteParams) => {
    const out = { ...frame, data: new Uint8ClampedArray(frame.data) };
    const touched = new Uint8Array(width * width);
    pasteReference(out, crop, p, touched);
    return { out, touched };
  };
  const hand = { outlines: [square(30, 30, 50, 50)], featherPx: 6 };

  it('keeps the frame inside the hand, untouched, blends by the ramp beside it, pastes the rest', () => {
    const { out, touched } = paste({ ...params, hands: hand });
    const packed = packHands(hand);
    let inside = 0;
    let ramped = 0;
    for (let y = 9; y < 70; y++) {
      for (let x = 9; x < 70; x++) {
        const i = (y * width + x) * 4;
        const m = handHolesValue(x, y, packed);
        const expected = Math.floor(m * 255 + (1 - m) * frame.data[i]! + 0.5);
        expect(out.data[i]).toBe(expected);
        expect(touched[y * width + x]).toBe(m > 0 ? 1 : 0);
        if (m === 0) inside++;
        else if (m < 1) ramped++;
      }
    }
    expect(inside).toBe(20 * 20);
    expect(ramped).toBeGreaterThan(4 * 20 * 2);
  });

  it('without hands, or with them off the region, pastes over the same pixels', () => {
    const { out } = paste(params);
    const far = paste({ ...params, hands: { outlines: [], featherPx: 6 } });
    expect(far.out.data).toEqual(out.data);
    expect(out.data[(40 * width + 40) * 4]).toBe(255);
  });
});
