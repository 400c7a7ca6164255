import { describe, expect, it } from 'vitest';
import { faceGeometry } from '../../src/gpu/face-geometry';
import { faceMask } from '../../src/gpu/reference/mask';
import {
  fromOklab,
  MAX_GAIN,
  MIN_CHROMA_GAIN,
  MIN_GAIN,
  REGION_FLOATS,
  smoothStats,
  toOklab,
  toneMaps,
  toneMatch,
  toneRegions,
  toneStats,
} from '../../src/gpu/reference/tone';
import { MAX_TRACKS, toneRate, TrackMemory } from '../../src/gpu/track-memory';
import type { BlendOptions, RgbaImage } from '../../src/gpu/types';
import { gridFace, gridTopology } from '../browser/kernels/synthetic-face';

const topology = gridTopology(8);
const options: BlendOptions = { strength: 1, keepMouth: true, keepEyes: true, feather: 0.08 };
const face = { source: gridFace(8, 50, 50, 30, 36), target: gridFace(8, 64, 60, 40, 46) };
const [width, height] = [128, 120];
const geometry = faceGeometry(face, topology, options, width, height)!;
const { roi } = geometry;

type Rgb = [number, number, number];
/** Deterministic texture in -1..1. */
const ripple = (x: number, y: number) => Math.sin(x * 1.3 + y * 0.7) * Math.cos(y * 1.1 - x * 0.4);

/** Whether ROI pixel (x, y) lies mostly in the lips (the geometry's outer lip contour, grown a little). */
function inLips(x: number, y: number): boolean {
  const lips = geometry.polygons.subarray(
    geometry.lips.start * 2,
    (geometry.lips.start + geometry.lips.count) * 2,
  );
  let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
  for (let i = 0; i < lips.length; i += 2) {
    [minX, maxX] = [Math.min(minX, lips[i]!), Math.max(maxX, lips[i]!)];
    [minY, maxY] = [Math.min(minY, lips[i + 1]!), Math.max(maxY, lips[i + 1]!)];
  }
  const [px, py] = [roi.x + x + 0.5, roi.y + y + 0.5];
  return px > minX && px < maxX && py > minY && py < maxY;
}

/** The warp over the whole ROI (covered everywhere): skin and lips colours with a ripple of `spread`. */
function warpOf(skin: Rgb, lips: Rgb, spread: number): Float32Array {
  const warp = new Float32Array(roi.width * roi.height * 4);
  for (let y = 0; y < roi.height; y++) {
    for (let x = 0; x < roi.width; x++) {
      const base = inLips(x, y) ? lips : skin;
      const r = ripple(x, y) * spread;
      warp.set([base[0] + r, base[1] + r * 0.8, base[2] + r * 0.6, 1], (y * roi.width + x) * 4);
    }
  }
  return warp;
}

/** The target image: the same layout in other colours and spread; `paint` draws over it. */
function targetOf(
  skin: Rgb,
  lips: Rgb,
  spread: number,
  paint?: (x: number, y: number) => Rgb | null,
): RgbaImage {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [rx, ry] = [x - roi.x, y - roi.y];
      const base = rx >= 0 && ry >= 0 && rx < roi.width && ry < roi.height && inLips(rx, ry) ? lips : skin;
      const r = ripple(x * 0.9, y * 1.2) * spread;
      const colour = paint?.(x, y) ?? [base[0] + r, base[1] + r * 0.8, base[2] + r * 0.6];
      data.set([...colour.map((c) => c * 255), 255], (y * width + x) * 4);
    }
  }
  return { width, height, data };
}

/** Per region: the weighted Oklab means and spreads of the warp and of the target (toneStats). */
function moments(stats: Float64Array, region: number) {
  const s = stats.subarray(region * REGION_FLOATS, (region + 1) * REGION_FLOATS);
  const mean = (at: number) => [0, 1, 2].map((c) => s[at + c]! / s[0]!);
  const spread = (at: number, sq: number) =>
    mean(at).map((m, c) => Math.sqrt(Math.max(s[sq + c]! / s[0]! - m * m, 0)));
  return {
    weight: s[0]!,
    warpMean: mean(1),
    warpSpread: spread(1, 4),
    targetMean: mean(7),
    targetSpread: spread(7, 10),
  };
}

const alphaOf = (warp: Float32Array) => faceMask(warp, geometry);
const ones = () => new Float32Array(roi.width * roi.height).fill(1);
const skinW: Rgb = [0.5, 0.36, 0.3];
const lipsW: Rgb = [0.55, 0.25, 0.27];
const skinT: Rgb = [0.78, 0.6, 0.5];
const lipsT: Rgb = [0.72, 0.38, 0.42];

describe('tone match: per-region colour statistics in Oklab', () => {
  it('converts sRGB to Oklab and back', () => {
    expect(toOklab(1, 1, 1).map((v) => Math.round(v * 1e4) / 1e4)).toEqual([1, 0, 0]);
    for (const rgb of [
      [0.2, 0.5, 0.9],
      [0.9, 0.1, 0.05],
      [0.01, 0.02, 0.03],
    ] as Rgb[]) {
      const back = fromOklab(...toOklab(...rgb));
      back.forEach((c, i) => expect(c).toBeCloseTo(rgb[i]!, 6));
    }
  });

  it("matches each region's mean and spread to the target's", () => {
    const warp = warpOf(skinW, lipsW, 0.09);
    const target = targetOf(skinT, lipsT, 0.05);
    const alpha = alphaOf(warp);
    const keep = ones();
    const regions = toneRegions(geometry, alpha, keep);
    const { matched } = toneMatch(warp, target, geometry, alpha, keep);
    const before = toneStats(warp, target, roi, regions);
    const after = toneStats(matched, target, roi, regions);
    for (const region of [0, 1]) {
      const b = moments(before, region);
      const a = moments(after, region);
      expect(a.weight).toBeGreaterThan(region === 0 ? 1000 : 40);
      expect(Math.abs(b.warpMean[0]! - b.targetMean[0]!)).toBeGreaterThan(0.08);
      for (let c = 0; c < 3; c++) expect(Math.abs(a.warpMean[c]! - a.targetMean[c]!)).toBeLessThan(0.015);
    }
    // The skin's lightness spread moves most of the way to the target's (regions blend at their edges).
    const ratio = (stats: Float64Array) =>
      moments(stats, 0).warpSpread[0]! / moments(stats, 0).targetSpread[0]!;
    expect(ratio(before)).toBeGreaterThan(1.2);
    expect(Math.abs(ratio(after) - 1)).toBeLessThan(Math.abs(ratio(before) - 1) / 2);
  });

  it('leaves what keep drops (an occluder) out of the statistics', () => {
    const bar = (x: number, y: number): Rgb | null =>
      x >= 40 && x < 52 && y >= 30 && y < 95 ? [0.1, 0.2, 0.8] : null;
    const warp = warpOf(skinW, lipsW, 0.1);
    const alpha = alphaOf(warp);
    const covered = targetOf(skinT, lipsT, 0.04, bar);
    const keep = ones();
    for (let y = 0; y < roi.height; y++)
      for (let x = 0; x < roi.width; x++) if (bar(roi.x + x, roi.y + y)) keep[y * roi.width + x] = 0;
    const plainStats = toneStats(warp, targetOf(skinT, lipsT, 0.04), roi, toneRegions(geometry, alpha, keep));
    const kept = toneMatch(warp, covered, geometry, alpha, keep).stats;
    const ignored = toneMatch(warp, covered, geometry, alpha, ones()).stats;
    const plain = moments(plainStats, 0).targetMean;
    moments(kept, 0).targetMean.forEach((v, c) => expect(v).toBeCloseTo(plain[c]!, 6));
    expect(Math.abs(moments(ignored, 0).targetMean[2]! - plain[2]!)).toBeGreaterThan(0.01);
  });

  it('keeps the colours of a region too small to measure, and bounds the gain', () => {
    const stats = new Float64Array(REGION_FLOATS * 3);
    stats.set([10, 5, 0, 0, 2.5, 0, 0, 6, 0, 0, 3.6, 0, 0], REGION_FLOATS);
    stats.set([1000, 500, 0, 0, 250 + 1e-6, 0, 0, 600, 0, 0, 400, 0, 0], 0);
    const maps = toneMaps(stats);
    expect(Array.from(maps.subarray(6, 12))).toEqual([1, 0, 1, 0, 1, 0]);
    expect(maps[0]).toBe(MAX_GAIN);
    expect(Array.from(maps.subarray(2, 6))).toEqual([1, 0, 1, 0]);
  });

  it('damps a source lit in mixed colours: its chroma spread down to MIN_CHROMA_GAIN, its lightness to MIN_GAIN', () => {
    // The warp spreads 0.2 in every Oklab channel around 0; the target 0.02.
    const stats = new Float64Array(REGION_FLOATS * 3);
    stats.set([1000, 0, 0, 0, 40, 40, 40, 0, 0, 0, 0.4, 0.4, 0.4], 0);
    const maps = toneMaps(stats);
    expect(maps[0]).toBe(MIN_GAIN);
    expect([maps[2], maps[4]]).toEqual([MIN_CHROMA_GAIN, MIN_CHROMA_GAIN]);
    expect(MIN_CHROMA_GAIN).toBeLessThan(MIN_GAIN);
  });

  it('smooths a tracked face over its frames, and starts again on a new track', () => {
    const previous = Float64Array.from({ length: 6 }, () => 2);
    const next = Float64Array.from({ length: 6 }, () => 4);
    expect(Array.from(smoothStats(previous, next, 0.25))).toEqual([2.5, 2.5, 2.5, 2.5, 2.5, 2.5]);
    expect(Array.from(smoothStats(undefined, next, 0.25))).toEqual(Array.from(next));
    expect(toneRate(0)).toBe(1);
    expect(toneRate(1 / 30)).toBeGreaterThan(0.05);
    expect(toneRate(1 / 30)).toBeLessThan(0.3);
    expect(toneRate(10)).toBeCloseTo(1, 6);
  });

  it('remembers the most recently used tracks and frees the others', () => {
    const dropped: number[] = [];
    const memory = new TrackMemory<number>((v) => dropped.push(v));
    for (let id = 0; id < MAX_TRACKS; id++) memory.set(id, id * 10);
    expect(memory.get(0)).toBe(0);
    memory.set(MAX_TRACKS, 999);
    expect(dropped).toEqual([10]);
    expect(memory.get(1)).toBeUndefined();
    expect(memory.get(0)).toBe(0);
    memory.clear();
    expect(dropped).toHaveLength(MAX_TRACKS + 1);
  });
});
