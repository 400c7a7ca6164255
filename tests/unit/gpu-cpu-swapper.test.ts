import { describe, expect, it } from 'vitest';
import { createCpuSwapper } from '../../src/gpu/cpu-swapper';
import { faceGeometry } from '../../src/gpu/face-geometry';
import { signedInsideDistance } from '../../src/gpu/reference/polygon';
import { warpMesh } from '../../src/gpu/reference/warp';
import { warpPoints } from '../../src/gpu/warp-points';
import type { BlendOptions, FacePair } from '../../src/gpu/types';
import { gridFace, gridTopology, syntheticImage } from '../browser/kernels/synthetic-face';

const topology = gridTopology(8);
const source = syntheticImage(96, 96, 3);
const target = syntheticImage(128, 112, 0);
const face: FacePair = { source: gridFace(8, 48, 50, 30, 36), target: gridFace(8, 60, 54, 34, 40, 0.2) };
const options: BlendOptions = {
  strength: 1,
  keepMouth: false,
  keepEyes: false,
  feather: 0.08,
  occlusion: false,
};

function correlation(a: number[], b: number[]): number {
  const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
  const ma = mean(a);
  const mb = mean(b);
  let ab = 0;
  let aa = 0;
  let bb = 0;
  a.forEach((x, i) => {
    ab += (x - ma) * (b[i]! - mb);
    aa += (x - ma) ** 2;
    bb += (b[i]! - mb) ** 2;
  });
  return ab / Math.sqrt(aa * bb);
}

describe('CPU mesh swapper', () => {
  const swapper = createCpuSwapper();

  it('changes only the face and keeps every other byte of the target', async () => {
    const targetBefore = target.data.slice();
    const { image, touched } = await swapper.swap(source, target, [face], topology, options);
    expect(swapper.kind).toBe('cpu');
    expect(image.width).toBe(128);
    // The swap writes a new image: the target's own bytes are left as they were.
    expect(Buffer.from(target.data).equals(Buffer.from(targetBefore))).toBe(true);
    const geometry = faceGeometry(face, topology, options, 128, 112)!;
    let count = 0;
    let changed = 0;
    for (let p = 0; p < 128 * 112; p++) {
      const x = (p % 128) + 0.5;
      const y = Math.floor(p / 128) + 0.5;
      if (touched[p]) {
        count++;
        for (let c = 0; c < 3; c++) {
          if (Math.abs(image.data[p * 4 + c]! - target.data[p * 4 + c]!) > 8) {
            changed++;
            break;
          }
        }
        expect(signedInsideDistance(x, y, geometry.polygons, 0, geometry.oval.count)).toBeGreaterThan(0);
      } else {
        for (let c = 0; c < 4; c++) expect(image.data[p * 4 + c]).toBe(target.data[p * 4 + c]);
      }
    }
    expect(count).toBeGreaterThan(2500);
    expect(changed).toBeGreaterThan(count / 2);
  });

  it("puts the source's texture on the target face and blends the edge", async () => {
    const { image, touched } = await swapper.swap(source, target, [face], topology, options);
    const geometry = faceGeometry(face, topology, options, 128, 112)!;
    const { roi } = geometry;
    const warp = warpMesh(source, warpPoints(face, topology), topology.triangles, roi);
    const out: number[] = [];
    const warped: number[] = [];
    const original: number[] = [];
    let edgeJump = 0;
    for (let y = 0; y < roi.height; y++) {
      for (let x = 0; x < roi.width; x++) {
        const p = (roi.y + y) * 128 + roi.x + x;
        const inside = signedInsideDistance(
          roi.x + x + 0.5,
          roi.y + y + 0.5,
          geometry.polygons,
          0,
          geometry.oval.count,
        );
        if (inside > geometry.featherPx) {
          out.push(image.data[p * 4]!);
          warped.push(warp[(y * roi.width + x) * 4]!);
          original.push(target.data[p * 4]!);
        }
        if (touched[p] && inside < 1.5) {
          for (let c = 0; c < 3; c++)
            edgeJump = Math.max(edgeJump, Math.abs(image.data[p * 4 + c]! - target.data[p * 4 + c]!));
        }
      }
    }
    expect(correlation(out, warped)).toBeGreaterThan(0.95);
    expect(Math.abs(correlation(out, original))).toBeLessThan(correlation(out, warped));
    // The target's ripple (60/255 from crest to trough) is a step the seam does not carry (over
    // SEAM_TO): the feathered edge alone joins it, within a sixth of that.
    expect(edgeJump).toBeLessThan(12);
  });

  it('keeps the target mouth and eyes when asked', async () => {
    const kept = await swapper.swap(source, target, [face], topology, {
      ...options,
      keepMouth: true,
      keepEyes: true,
    });
    const plain = await swapper.swap(source, target, [face], topology, options);
    const geometry = faceGeometry(face, topology, { ...options, keepMouth: true, keepEyes: true }, 128, 112)!;
    let mouthPixels = 0;
    for (let p = 0; p < 128 * 112; p++) {
      const x = (p % 128) + 0.5;
      const y = Math.floor(p / 128) + 0.5;
      if (
        signedInsideDistance(x, y, geometry.polygons, geometry.mouth.start, geometry.mouth.count) >
        geometry.featherPx * 0.5
      ) {
        mouthPixels++;
        expect(kept.touched[p]).toBe(0);
        expect(plain.touched[p]).toBe(1);
        expect(Array.from(kept.image.data.subarray(p * 4, p * 4 + 4))).toEqual(
          Array.from(target.data.subarray(p * 4, p * 4 + 4)),
        );
      }
    }
    expect(mouthPixels).toBeGreaterThan(10);
  });

  it('applies faces in sequence, reporting each, and returns the target for no faces or strength 0', async () => {
    const second: FacePair = { source: face.source, target: gridFace(8, 100, 40, 14, 18) };
    const progress: [number, number][] = [];
    const both = await swapper.swap(
      source,
      target,
      [face, second],
      topology,
      options,
      undefined,
      (done, total) => progress.push([done, total]),
    );
    expect(progress).toEqual([
      [1, 2],
      [2, 2],
    ]);
    const first = await swapper.swap(source, target, [face], topology, options);
    const secondOnly = await swapper.swap(source, target, [second], topology, options);
    for (let p = 0; p < 128 * 112; p++)
      expect(both.touched[p]).toBe(first.touched[p]! | secondOnly.touched[p]!);
    const none = await swapper.swap(source, target, [], topology, options);
    expect(none.image.data).toEqual(target.data);
    expect(none.touched.every((v) => v === 0)).toBe(true);
    const weak = await swapper.swap(source, target, [face], topology, { ...options, strength: 0 });
    expect(weak.image.data).toEqual(target.data);
  });

  it('gives the same image when it swaps again, after a face of another size', async () => {
    const first = await swapper.swap(source, target, [face], topology, options);
    const small: FacePair = { source: face.source, target: gridFace(8, 100, 40, 14, 18) };
    await swapper.swap(source, target, [small], topology, options);
    const again = await swapper.swap(source, target, [face], topology, options);
    expect(again.image.data).toEqual(first.image.data);
    expect(again.touched).toEqual(first.touched);
  });

  it('clips a face that runs off the image', async () => {
    const offside: FacePair = { source: face.source, target: gridFace(8, 10, 100, 30, 30) };
    const { image, touched } = await swapper.swap(source, target, [offside], topology, options);
    expect(touched.some((v) => v === 1)).toBe(true);
    expect(image.data.length).toBe(target.data.length);
  });

  it('rejects with an AbortError when aborted and on mismatched input', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(
      swapper.swap(source, target, [face], topology, options, controller.signal),
    ).rejects.toMatchObject({
      name: 'AbortError',
    });
    const bad: FacePair = { source: face.source.subarray(2), target: face.target };
    await expect(swapper.swap(source, target, [bad], topology, options)).rejects.toThrow(
      /same number of points/,
    );
  });
});
