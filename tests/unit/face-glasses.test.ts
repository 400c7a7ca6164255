import { describe, expect, it } from 'vitest';
import type { RgbaImage } from '../../src/gpu/types';
import { wearsGlasses } from '../../src/workers/engine/face-glasses';

/**
 * A 468-point mesh with the ends of the rings around the eyes (a pixel outside each corner) and the
 * cheek points of a frontal face 200 px wide.
 */
function mesh(): Float32Array {
  const points = new Float32Array(468 * 2).fill(100);
  const set = (i: number, x: number, y: number) => points.set([x, y], i * 2);
  set(130, 59, 80);
  set(243, 86, 80);
  set(463, 114, 80);
  set(359, 141, 80);
  const cheeks: [number, number, number][] = [
    [50, 70, 115],
    [280, 130, 115],
    [205, 75, 125],
    [425, 125, 125],
    [187, 80, 110],
    [411, 120, 110],
    [5, 100, 105],
    [4, 100, 112],
  ];
  for (const [i, x, y] of cheeks) set(i, x, y);
  return points;
}

/**
 * Skin and dark eyes; with 'glasses' black frames around them joined by a bridge; with 'shadows'
 * what is no frame but darkens the same places: a shadow under each eye, fading from the lower lid
 * down the cheek, and eyeliner drawn out past each outer corner.
 */
function face(kind: 'bare' | 'glasses' | 'shadows'): RgbaImage {
  const width = 200;
  const height = 200;
  const data = new Uint8ClampedArray(width * height * 4);
  const skin = [215, 165, 135];
  const frame = (x: number, y: number, x0: number, x1: number) =>
    x >= x0 && x <= x1 && y >= 62 && y <= 100 && (x < x0 + 3 || x > x1 - 3 || y < 65 || y > 97);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const eye = [72.5, 127.5].some((cx) => ((x - cx) / 10) ** 2 + ((y - 80) / 4) ** 2 < 1);
      const rim =
        kind === 'glasses' &&
        (frame(x, y, 50, 95) || frame(x, y, 105, 150) || (x > 95 && x < 105 && y >= 72 && y <= 75));
      const shadow =
        kind === 'shadows' && [72.5, 127.5].some((cx) => Math.abs(x - cx) < 14) && y > 83 && y < 110
          ? (110 - y) / 27
          : 0;
      const liner =
        kind === 'shadows' && y >= 78 && y <= 81 && ((x >= 48 && x < 60) || (x > 140 && x <= 152));
      const colour = rim
        ? [20, 20, 25]
        : eye || liner
          ? [40, 30, 30]
          : skin.map((c) => c * (1 - 0.8 * shadow));
      data.set([...colour, 255], (y * width + x) * 4);
    }
  }
  return { width, height, data };
}

describe('glasses on the source', () => {
  it('are seen from their dark frames around the eyes, and bare eyes are not glasses', () => {
    expect(wearsGlasses(face('glasses'), mesh())).toBe(true);
    expect(wearsGlasses(face('bare'), mesh())).toBe(false);
  });

  it('are not seen in what darkens one end of a profile: shadows under the eyes, eyeliner past the corners', () => {
    expect(wearsGlasses(face('shadows'), mesh())).toBe(false);
  });
});
