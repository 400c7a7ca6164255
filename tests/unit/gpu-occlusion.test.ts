import { describe, expect, it } from 'vitest';
import { createCpuSwapper } from '../../src/gpu/cpu-swapper';
import { faceGeometry, type FaceGeometry, type PolygonRange } from '../../src/gpu/face-geometry';
import { faceMask } from '../../src/gpu/reference/mask';
import { faceKeep, skinModel, SPREAD_FLOOR } from '../../src/gpu/reference/occlusion';
import { signedInsideDistance } from '../../src/gpu/reference/polygon';
import { warpMesh } from '../../src/gpu/reference/warp';
import { warpPoints } from '../../src/gpu/warp-points';
import type { BlendOptions, FacePair, RgbaImage } from '../../src/gpu/types';
import { gridFace, gridTopology, syntheticImage } from '../browser/kernels/synthetic-face';

const topology = gridTopology(8);
const face: FacePair = { source: gridFace(8, 48, 50, 30, 36), target: gridFace(8, 64, 60, 40, 46) };
const options: BlendOptions = {
  strength: 1,
  keepMouth: true,
  keepEyes: true,
  feather: 0.08,
  occlusion: true,
};
const source = syntheticImage(96, 96, 3);
const swapper = createCpuSwapper();

/** Skin-coloured target with soft shading and a little texture; `paint` draws over it. */
function skinTarget(paint?: (x: number, y: number) => [number, number, number] | null): RgbaImage {
  const width = 128;
  const height = 120;
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const shade = 0.8 + (0.2 * x) / width + 0.03 * Math.sin(x * 1.7 + y * 2.3);
      const colour = paint?.(x, y) ?? [205 * shade, 150 * shade, 125 * shade];
      data.set([...colour, 255], (y * width + x) * 4);
    }
  }
  return { width, height, data };
}

/** A blue bar down the face's left cheek, from the eyes' level to the jaw. */
const bar = (x: number, y: number): [number, number, number] | null =>
  x >= 33 && x < 41 && y >= 40 && y < 100 ? [40, 70, 190] : null;

function inside(geometry: FaceGeometry, range: PolygonRange, x: number, y: number): number {
  return signedInsideDistance(x + 0.5, y + 0.5, geometry.polygons, range.start, range.count);
}

/** Bar pixels 2 px inside its edges, well inside the oval and clear of the lips and eye zones. */
function barPixels(geometry: FaceGeometry): number[] {
  const pixels: number[] = [];
  for (let y = 42; y < 98; y++) {
    for (let x = 35; x < 39; x++) {
      const shielded = [geometry.lips, geometry.leftZone, geometry.rightZone].some(
        (zone) => inside(geometry, zone, x, y) > -geometry.protectPx,
      );
      if (!shielded && inside(geometry, geometry.oval, x, y) > geometry.featherPx) pixels.push(y * 128 + x);
    }
  }
  return pixels;
}

describe('occlusion: what covers the target face stays in front', () => {
  it('models the skin from its sample points, robust to the bar covering some of them', () => {
    const target = skinTarget(bar);
    const geometry = faceGeometry(face, topology, options, target.width, target.height)!;
    const skin = skinModel(target, geometry);
    const plain = skinModel(skinTarget(), geometry);
    for (let f = 0; f < 3; f++) {
      expect(Math.abs(skin[f]! - plain[f]!)).toBeLessThan(0.02);
      expect(skin[4 + f]).toBeGreaterThanOrEqual(SPREAD_FLOOR[f]! - 1e-7);
    }
  });

  it('keeps a bar drawn over the face, byte for byte, and swaps the skin around it', async () => {
    const target = skinTarget(bar);
    const geometry = faceGeometry(face, topology, options, target.width, target.height)!;
    const pixels = barPixels(geometry);
    expect(pixels.length).toBeGreaterThan(40);
    const { image, touched } = await swapper.swap(source, target, [face], topology, options);
    for (const p of pixels) {
      expect(touched[p]).toBe(0);
      expect(Array.from(image.data.subarray(p * 4, p * 4 + 4))).toEqual(
        Array.from(target.data.subarray(p * 4, p * 4 + 4)),
      );
    }
    const cheek = 60 * 128 + 90;
    expect(touched[cheek]).toBe(1);
    const off = await swapper.swap(source, target, [face], topology, { ...options, occlusion: false });
    const changed = pixels.filter((p) => Math.abs(off.image.data[p * 4]! - target.data[p * 4]!) > 16);
    expect(changed.length).toBeGreaterThan(pixels.length / 2);
  });

  it('combines the blend domain, the kept mouth and eyes and the occlusion', () => {
    const target = skinTarget(bar);
    const geometry = faceGeometry(face, topology, options, target.width, target.height)!;
    const none = faceGeometry(
      face,
      topology,
      { ...options, keepEyes: false, keepMouth: false, occlusion: false },
      target.width,
      target.height,
    )!;
    const warp = warpMesh(source, warpPoints(face, topology), topology.triangles, geometry.roi);
    expect(faceMask(warp, geometry)).toEqual(faceMask(warp, none));
    const keep = faceKeep(target, geometry, skinModel(target, geometry));
    expect(faceKeep(target, none, skinModel(target, none)).every((k) => k === 1)).toBe(true);
    const { roi } = geometry;
    const at = (x: number, y: number) => keep[(y - roi.y) * roi.width + (x - roi.x)]!;
    const centre = (range: PolygonRange) => {
      let x = 0;
      let y = 0;
      for (let i = range.start; i < range.start + range.count; i++) {
        x += geometry.polygons[i * 2]!;
        y += geometry.polygons[i * 2 + 1]!;
      }
      return [Math.floor(x / range.count), Math.floor(y / range.count)] as const;
    };
    expect(at(...centre(geometry.mouth))).toBe(0);
    expect(at(...centre(geometry.leftEye))).toBe(0);
    expect(at(...centre(geometry.rightEye))).toBe(0);
    for (const p of barPixels(geometry)) expect(at(p % 128, Math.floor(p / 128))).toBe(0);
    expect(at(90, 60)).toBe(1);
  });

  it('takes the lens-sized eye zones from the target when the source wears glasses', () => {
    for (const keepEyes of [true, false]) {
      const geometry = faceGeometry(
        { ...face, sourceGlasses: true },
        topology,
        { ...options, keepEyes },
        128,
        120,
      )!;
      expect(geometry.leftEye).toEqual(geometry.leftZone);
      expect(geometry.rightEye).toEqual(geometry.rightZone);
      expect(geometry.leftZone.count).toBeGreaterThanOrEqual(3);
    }
  });

  it('keeps the target eyes by default without darkening the skin around them', async () => {
    const geometry = faceGeometry(face, topology, options, 128, 120)!;
    const target = skinTarget((x, y) =>
      [geometry.leftEye, geometry.rightEye].some((eye) => inside(geometry, eye, x, y) > 0)
        ? [15, 12, 10]
        : null,
    );
    const { image } = await swapper.swap(source, target, [face], topology, options);
    let eye = 0;
    let ring = 0;
    let ringOut = 0;
    let ringTarget = 0;
    const luma = (data: Uint8ClampedArray, p: number) =>
      0.299 * data[p * 4]! + 0.587 * data[p * 4 + 1]! + 0.114 * data[p * 4 + 2]!;
    for (let p = 0; p < 128 * 120; p++) {
      const x = p % 128;
      const y = Math.floor(p / 128);
      const d = Math.max(...[geometry.leftEye, geometry.rightEye].map((e) => inside(geometry, e, x, y)));
      if (d > 0.5) {
        eye++;
        expect(Array.from(image.data.subarray(p * 4, p * 4 + 3))).toEqual([15, 12, 10]);
      } else if (d < -geometry.featherPx * 0.5 && d > -geometry.featherPx * 0.5 - 3) {
        ring++;
        ringOut += luma(image.data, p);
        ringTarget += luma(target.data, p);
      }
    }
    expect(eye).toBeGreaterThan(20);
    expect(ring).toBeGreaterThan(40);
    expect(ringOut / ring).toBeGreaterThan(0.85 * (ringTarget / ring));
  });
});
