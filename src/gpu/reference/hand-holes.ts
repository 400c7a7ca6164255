import { MAX_HANDS } from '../face-geometry';
import { grownBox, ramp, signedInsideDistance } from './polygon';

/**
 * Hands in front of a face as holes in a paste's mask (the neural engine's; the built-in engine's are
 * in faceKeep): 0 inside each hand's outline, rising smoothly to 1 at featherPx / 2 outside it.
 */
export interface HandHoles {
  /** Closed polygons, x, y pairs in frame pixels (handOutline), at most MAX_HANDS. */
  outlines: readonly Float32Array[];
  /** The face's feather width in pixels (FaceGeometry.featherPx): each hole is feathered by half of it. */
  featherPx: number;
}

/** The holes as the paste kernel takes them: points, per hand its range and its box grown by the ramp. */
export interface PackedHands {
  /** Every outline's x, y pairs, one after another. */
  points: Float32Array<ArrayBuffer>;
  /** Per hand (MAX_HANDS): first point, point count (0: no hand there). */
  ranges: [number, number][];
  /** Per hand: x0, y0, x1, y1 of its outline grown by `edge`; outside it the hole's factor is 1. */
  boxes: [number, number, number, number][];
  /** The ramp's width: featherPx / 2. */
  edge: number;
}

/** Throws unless the holes are at most MAX_HANDS outlines of whole x, y pairs and the feather is finite. */
export function checkHandHoles(hands: HandHoles): void {
  if (hands.outlines.length > MAX_HANDS) {
    throw new RangeError(`a paste keeps at most ${MAX_HANDS} hands, got ${hands.outlines.length}`);
  }
  if (!(hands.featherPx >= 0 && Number.isFinite(hands.featherPx))) {
    throw new RangeError(`hand feather ${hands.featherPx} must be a finite width`);
  }
  for (const outline of hands.outlines) {
    if (outline.length % 2 !== 0) throw new RangeError('a hand outline is x, y pairs');
  }
}

/** Packs the holes (outlines of fewer than 3 points are left out); none when `hands` is absent. */
export function packHands(hands?: HandHoles): PackedHands {
  const packed: PackedHands = { points: new Float32Array(0), ranges: [], boxes: [], edge: 0 };
  if (!hands) return packed;
  checkHandHoles(hands);
  const edge = hands.featherPx * 0.5;
  const kept = hands.outlines.filter((outline) => outline.length >= 6);
  let start = 0;
  for (const outline of kept) {
    packed.ranges.push([start, outline.length / 2]);
    packed.boxes.push(grownBox(outline, 0, outline.length / 2, edge));
    start += outline.length / 2;
  }
  packed.points = new Float32Array(kept.flatMap((outline) => [...outline]));
  packed.edge = edge;
  return packed;
}

/**
 * What the hands leave of the mask at frame pixel (x, y): the minimum over the hands of
 * ramp(edge, -d), d the signed distance of the pixel's centre (x + 0.5, y + 0.5) inside the outline
 * (positive inside), as faceKeep's hand holes; 1 outside every hand's box.
 */
export function handHolesValue(x: number, y: number, hands: PackedHands): number {
  const px = x + 0.5;
  const py = y + 0.5;
  let value = 1;
  hands.ranges.forEach(([start, count], k) => {
    const [x0, y0, x1, y1] = hands.boxes[k]!;
    if (!(px > x0 && py > y0 && px < x1 && py < y1)) return;
    value = Math.min(value, ramp(hands.edge, -signedInsideDistance(px, py, hands.points, start, count)));
  });
  return value;
}
