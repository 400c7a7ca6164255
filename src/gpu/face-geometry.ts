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
  /** x,y pairs in target image pixels: the oval, then the mouth and eyes when they are kept. */
  polygons: Float32Array;
  oval: PolygonRange;
  /** count 0 when the region is not kept. */
  mouth: PolygonRange;
  leftEye: PolygonRange;
  rightEye: PolygonRange;
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
    const polygons = [topology.oval, topology.mouth, topology.leftEye, topology.rightEye];
    if (polygons.some((polygon) => polygon.some(outOfRange))) {
      throw new Error('Mesh topology has a contour index outside the mesh');
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

/** The face's ROI, contour polygons and feather width; null when the face cannot touch the image. */
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
  const kept = (polygon: readonly number[], keep: boolean) => (keep && polygon.length >= 3 ? polygon : []);
  const loops = [
    topology.oval,
    kept(topology.mouth, options.keepMouth),
    kept(topology.leftEye, options.keepEyes),
    kept(topology.rightEye, options.keepEyes),
  ];
  const polygons = new Float32Array(loops.reduce((sum, loop) => sum + loop.length * 2, 0));
  const ranges: PolygonRange[] = [];
  let start = 0;
  for (const loop of loops) {
    loop.forEach((index, i) => {
      polygons[(start + i) * 2] = face.target[index * 2]!;
      polygons[(start + i) * 2 + 1] = face.target[index * 2 + 1]!;
    });
    ranges.push({ start, count: loop.length });
    start += loop.length;
  }
  const faceSize = largerSide(polygons.subarray(0, topology.oval.length * 2));
  return {
    roi,
    polygons,
    oval: ranges[0]!,
    mouth: ranges[1]!,
    leftEye: ranges[2]!,
    rightEye: ranges[3]!,
    featherPx: Math.max(1, options.feather * faceSize),
    colourSigma: Math.max(1, COLOUR_SIGMA_FRACTION * faceSize),
  };
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
