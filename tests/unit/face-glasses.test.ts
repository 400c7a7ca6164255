import { describe, expect, it } from 'vitest';
import type { RgbaImage } from '../../src/gpu/types';
import { wearsGlasses } from '../../src/workers/engine/face-glasses';

/** A 468-point mesh with the eye corners and cheek points of a frontal face 200 px wide. */
function mesh(): Float32Array {
  const points = new Float32Array(468 * 2).fill(100);
  const set = (i: number, x: number, y: number) => points.set([x, y], i * 2);
  set(33, 60, 80);
  set(133, 85, 80);
  set(362, 115, 80);
  set(263, 140, 80);
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

/** Skin, dark eyes, and with `glasses` black frames around them joined by a bridge. */
function face(glasses: boolean): RgbaImage {
  const width = 200;
  const height = 200;
  const data = new Uint8ClampedArray(width * height * 4);
  const frame = (x: number, y: number, x0: number, x1: number) =>
    x >= x0 && x <= x1 && y >= 62 && y <= 100 && (x < x0 + 3 || x > x1 - 3 || y < 65 || y > 97);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const eye = [72.5, 127.5].some((cx) => ((x - cx) / 10) ** 2 + ((y - 80) / 4) ** 2 < 1);
      const rim =
        glasses &&
        (frame(x, y, 50, 95) || frame(x, y, 105, 150) || (x > 95 && x < 105 && y >= 72 && y <= 75));
      const colour = rim ? [20, 20, 25] : eye ? [40, 30, 30] : [215, 165, 135];
      data.set([...colour, 255], (y * width + x) * 4);
    }
  }
  return { width, height, data };
}

describe('glasses on the source', () => {
  it('are seen from their dark frames around the eyes, and bare eyes are not glasses', () => {
    expect(wearsGlasses(face(true), mesh())).toBe(true);
    expect(wearsGlasses(face(false), mesh())).toBe(false);
  });
});
