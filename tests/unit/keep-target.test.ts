import { describe, expect, it } from 'vitest';
import { faceGeometry, type FaceGeometry, type PolygonRange } from '../../src/gpu/face-geometry';
import { keepTargetRegions } from '../../src/gpu/reference/keep-target';
import { signedInsideDistance } from '../../src/gpu/reference/polygon';
import type { BlendOptions, RgbaImage } from '../../src/gpu/types';
import { gridFace, gridTopology } from '../browser/kernels/synthetic-face';

const topology = gridTopology(8);
const mesh = gridFace(8, 64, 60, 40, 46);
const options: BlendOptions = {
  strength: 1,
  keepMouth: true,
  keepEyes: true,
  feather: 0.08,
  occlusion: true,
};
const [width, height] = [128, 120];
const geometry = faceGeometry({ source: mesh, target: mesh }, topology, options, width, height)!;

const inside = (g: FaceGeometry, range: PolygonRange, x: number, y: number) =>
  signedInsideDistance(x + 0.5, y + 0.5, g.polygons, range.start, range.count);

/** A blue bar down the face's left cheek. */
const onBar = (x: number, y: number) => x >= 33 && x < 41 && y >= 40 && y < 100;

function image(paint: (x: number, y: number) => [number, number, number]): RgbaImage {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) data.set([...paint(x, y), 255], (y * width + x) * 4);
  return { width, height, data };
}

/** Skin with a little texture, dark eye interiors, and the bar over the cheek. */
const target = image((x, y) => {
  if (onBar(x, y)) return [40, 70, 190];
  if ([geometry.leftEye, geometry.rightEye].some((eye) => inside(geometry, eye, x, y) > 0))
    return [20, 15, 12];
  const shade = 0.85 + 0.03 * Math.sin(x * 1.7 + y * 2.3);
  return [205 * shade, 150 * shade, 125 * shade];
});
/** Another engine's result: the face region pasted in a flat other colour (a box mask's square). */
const pasted = () =>
  image((x, y) => {
    const p = (y * width + x) * 4;
    return x >= 20 && x < 108 && y >= 10 && y < 112
      ? [120, 160, 90]
      : [target.data[p]!, target.data[p + 1]!, target.data[p + 2]!];
  });
const pixel = (img: RgbaImage, x: number, y: number) =>
  Array.from(img.data.subarray((y * width + x) * 4, (y * width + x) * 4 + 3));

describe("the built-in engine's masks on another engine's result", () => {
  it('keeps the eye and mouth interiors and what covers the face, and the swap elsewhere', () => {
    const result = pasted();
    expect(keepTargetRegions(result, target, [mesh], topology, options)).toBeGreaterThan(100);
    let eyes = 0;
    let bar = 0;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const deep = inside(geometry, geometry.oval, x, y) > geometry.featherPx + 1;
        if (
          [geometry.leftEye, geometry.rightEye, geometry.mouth].some((r) => inside(geometry, r, x, y) > 0.5)
        ) {
          eyes++;
          expect(pixel(result, x, y)).toEqual(pixel(target, x, y));
        } else if (deep && onBar(x, y) && x > 34 && x < 39) {
          const shielded = [geometry.lips, geometry.leftZone, geometry.rightZone].some(
            (zone) => inside(geometry, zone, x, y) > -geometry.protectPx,
          );
          if (shielded) continue;
          bar++;
          expect(pixel(result, x, y)).toEqual(pixel(target, x, y));
        }
      }
    }
    expect(eyes).toBeGreaterThan(20);
    expect(bar).toBeGreaterThan(40);
    expect(pixel(result, 90, 60)).toEqual([120, 160, 90]);
  });

  it('leaves the result alone when every region comes from the source and occlusion is off', () => {
    const result = pasted();
    const all = { ...options, keepEyes: false, keepMouth: false, occlusion: false };
    expect(keepTargetRegions(result, target, [mesh], topology, all)).toBe(0);
    expect(result.data).toEqual(pasted().data);
  });
});
