import type { BlendOptions, FacePair, MeshTopology } from './types';

/** Region of interest in image pixels: x, y inclusive; width, height > 0. */
export interface Roi {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A closed polygon inside FaceGeometry.polygons: `count` points starting at point index `start`. */
export interface PolygonRange {
  start: number;
  count: number;
}

/** Everything per face that both swappers derive from the meshes before touching pixels. */
export interface FaceGeometry {
  roi: Roi;
  /**
   * x,y pairs in target image pixels: the oval, the kept mouth and eye contours, the outer lips,
   * the two eye zones, the skin sample points, then the kept hands' outlines.
   */
  polygons: Float32Array;
  oval: PolygonRange;
  /** The holes kept from the target: count 0 when the region is not kept. */
  mouth: PolygonRange;
  leftEye: PolygonRange;
  rightEye: PolygonRange;
  /** Where the occlusion test does not apply: the outer lips and the eye zones (eye and brow). */
  lips: PolygonRange;
  leftZone: PolygonRange;
  rightZone: PolygonRange;
  /** Points whose colour is the face's own skin (not a polygon). */
  skin: PolygonRange;
  /** Hands in front of the face, kept from the target (MAX_HANDS; count 0 when there is none). */
  hands: PolygonRange[];
  /** Whether pixels that do not match the skin keep the target (BlendOptions.occlusion). */
  occlusion: boolean;
  /** How far around the lips and eye zones the occlusion test stays off, in pixels. */
  protectPx: number;
  /** Width of the oval's feathered edge in pixels (at least 1). */
  featherPx: number;
  /** Sigma in pixels of the colour stage's Gaussian (at least 1): COLOUR_SIGMA_FRACTION of the face size. */
  colourSigma: number;
}

/** Pixels added around the target mesh's bounding box. */
const ROI_PADDING = 2;

/**
 * Sigma of the colour stage's low-frequency transfer as a fraction of the face size (the oval's
 * larger side): large enough to average over pores and stubble, small enough to follow lighting
 * that changes across the face.
 */
export const COLOUR_SIGMA_FRACTION = 0.1;

/**
 * An eye zone is an ellipse around the eye's corners, these fractions of the corner distance along
 * and across the eye: about a spectacle lens, and with protectPx the brow.
 */
export const ZONE_ALONG = 0.85;
export const ZONE_ACROSS = 0.65;
const ZONE_POINTS = 16;
/** Most hands kept in front of one face (the WGSL Params hold this many ranges). */
export const MAX_HANDS = 2;
/** protectPx as a fraction of the face size. */
export const PROTECT_FRACTION = 0.05;

/** Throws when the images, meshes or topology do not fit together. */
export function validateSwapInput(
  images: readonly { width: number; height: number; data: Uint8ClampedArray }[],
  faces: readonly FacePair[],
  topology: MeshTopology,
): void {
  for (const image of images) {
    if (!(image.width > 0 && image.height > 0) || image.data.length !== image.width * image.height * 4) {
      throw new Error(`Image data does not match ${image.width}x${image.height} RGBA`);
    }
  }
  for (const face of faces) {
    if (face.source.length !== face.target.length || face.source.length % 2 !== 0) {
      throw new Error('Source and target meshes must have the same number of points');
    }
    const points = face.source.length / 2;
    const outOfRange = (index: number) => !(index >= 0 && index < points);
    if (topology.triangles.length % 3 !== 0 || topology.triangles.some(outOfRange)) {
      throw new Error('Mesh topology has a triangle index outside the mesh');
    }
    const polygons = [topology.oval, topology.mouth, topology.leftEye, topology.rightEye, topology.lips];
    if ([...polygons, topology.skin].some((polygon) => polygon.some(outOfRange))) {
      throw new Error('Mesh topology has a contour index outside the mesh');
    }
    if (topology.mirror.length !== points || topology.mirror.some(outOfRange)) {
      throw new Error('Mesh topology needs a mirror point inside the mesh for every point');
    }
  }
}

/** Bounding box of the points, padded and clamped to the image; null when nothing of it is inside. */
export function meshRoi(points: Float32Array, width: number, height: number): Roi | null {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let i = 0; i + 1 < points.length; i += 2) {
    const x = points[i]!;
    const y = points[i + 1]!;
    if (!Number.isFinite(x) || !Number.isFinite(y)) return null;
    minX = Math.min(minX, x);
    maxX = Math.max(maxX, x);
    minY = Math.min(minY, y);
    maxY = Math.max(maxY, y);
  }
  const x0 = Math.max(0, Math.floor(minX) - ROI_PADDING);
  const y0 = Math.max(0, Math.floor(minY) - ROI_PADDING);
  const x1 = Math.min(width, Math.ceil(maxX) + ROI_PADDING);
  const y1 = Math.min(height, Math.ceil(maxY) + ROI_PADDING);
  if (x1 <= x0 || y1 <= y0) return null;
  return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
}

/** An ellipse (ZONE_ALONG x ZONE_ACROSS of the corner distance) around the eye's farthest two points. */
function eyeZone(points: Float32Array, eye: readonly number[]): number[] {
  if (eye.length < 2) return [];
  let best = [0, 0, -1];
  for (const i of eye) {
    for (const j of eye) {
      const d = Math.hypot(points[j * 2]! - points[i * 2]!, points[j * 2 + 1]! - points[i * 2 + 1]!);
      if (d > best[2]!) best = [i, j, d];
    }
  }
  const [a, b, width] = best as [number, number, number];
  if (!(width > 0)) return [];
  const ux = (points[b * 2]! - points[a * 2]!) / width;
  const uy = (points[b * 2 + 1]! - points[a * 2 + 1]!) / width;
  const cx = (points[a * 2]! + points[b * 2]!) / 2;
  const cy = (points[a * 2 + 1]! + points[b * 2 + 1]!) / 2;
  const zone: number[] = [];
  for (let k = 0; k < ZONE_POINTS; k++) {
    const angle = (2 * Math.PI * k) / ZONE_POINTS;
    const along = Math.cos(angle) * ZONE_ALONG * width;
    const across = Math.sin(angle) * ZONE_ACROSS * width;
    zone.push(cx + ux * along - uy * across, cy + uy * along + ux * across);
  }
  return zone;
}

/** The face's ROI, polygons, feather and protection widths; null when the face cannot touch the image. */
export function faceGeometry(
  face: FacePair,
  topology: MeshTopology,
  options: BlendOptions,
  width: number,
  height: number,
): FaceGeometry | null {
  if (topology.oval.length < 3) return null;
  const roi = meshRoi(face.target, width, height);
  if (!roi) return null;
  const at = (indices: readonly number[]) =>
    indices.flatMap((i) => [face.target[i * 2]!, face.target[i * 2 + 1]!]);
  const polygon = (indices: readonly number[]) => (indices.length >= 3 ? at(indices) : []);
  const kept = (indices: readonly number[], keep: boolean) => (keep ? polygon(indices) : []);
  const eyes = options.keepEyes && !face.sourceGlasses;
  const hands = options.hands === false ? [] : (face.hands ?? []).slice(0, MAX_HANDS);
  const loops = [
    at(topology.oval),
    kept(topology.mouth, options.keepMouth),
    kept(topology.leftEye, eyes),
    kept(topology.rightEye, eyes),
    polygon(topology.lips),
    eyeZone(face.target, topology.leftEye),
    eyeZone(face.target, topology.rightEye),
    at(topology.skin),
    ...Array.from({ length: MAX_HANDS }, (_, i) => ((hands[i]?.length ?? 0) >= 6 ? [...hands[i]!] : [])),
  ];
  const polygons = new Float32Array(loops.flat());
  const ranges: PolygonRange[] = [];
  let start = 0;
  for (const loop of loops) {
    ranges.push({ start, count: loop.length / 2 });
    start += loop.length / 2;
  }
  const [oval, mouth, leftEye, rightEye, lips, leftZone, rightZone, skin, ...handRanges] = ranges as [
    PolygonRange,
    PolygonRange,
    PolygonRange,
    PolygonRange,
    PolygonRange,
    PolygonRange,
    PolygonRange,
    PolygonRange,
    ...PolygonRange[],
  ];
  const faceSize = largerSide(polygons.subarray(0, topology.oval.length * 2));
  const glasses = (zone: PolygonRange, eye: PolygonRange) => (face.sourceGlasses ? zone : eye);
  return {
    roi,
    polygons,
    oval,
    mouth,
    leftEye: glasses(leftZone, leftEye),
    rightEye: glasses(rightZone, rightEye),
    lips,
    leftZone,
    rightZone,
    skin,
    hands: handRanges,
    occlusion: options.occlusion !== false && skin.count > 0,
    protectPx: PROTECT_FRACTION * faceSize,
    featherPx: featherWidth(face.target, topology, options),
    colourSigma: Math.max(1, COLOUR_SIGMA_FRACTION * faceSize),
  };
}

/** Width of a face's feathered edges in pixels (FaceGeometry.featherPx) from its mesh. */
export function featherWidth(mesh: Float32Array, topology: MeshTopology, options: BlendOptions): number {
  const oval = new Float32Array(topology.oval.flatMap((i) => [mesh[i * 2]!, mesh[i * 2 + 1]!]));
  return Math.max(1, options.feather * largerSide(oval));
}

function largerSide(points: Float32Array): number {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let i = 0; i + 1 < points.length; i += 2) {
    minX = Math.min(minX, points[i]!);
    maxX = Math.max(maxX, points[i]!);
    minY = Math.min(minY, points[i + 1]!);
    maxY = Math.max(maxY, points[i + 1]!);
  }
  return Math.max(maxX - minX, maxY - minY);
}
