import type { Box } from './boxes';
import { iou } from './boxes';
import { readOnce, type GraphModel, type Tf } from './face-models';
import type { FaceInput } from './face-input';

/** A detector hit in image pixels: its box, its 6 key points (eyes, nose, mouth, ears) and score. */
export interface Candidate {
  box: Box;
  keypoints: Float32Array;
  score: number;
}

/** A square region of the image the detector sees at once, scaled to its input. */
export interface Tile {
  x: number;
  y: number;
  side: number;
}

/** The detector's key points: 0 right eye, 1 left eye (as seen in the image: left, then right). */
const KEYPOINTS = 6;
const REGRESSORS = 4 + KEYPOINTS * 2;

/** BlazeFace (back camera) anchors: a 16x16 grid of 2 and an 8x8 grid of 6, in input pixels. */
function anchorCentres(size: number): Float32Array {
  const grids: [stride: number, perCell: number][] = [
    [size / 16, 2],
    [size / 8, 6],
  ];
  const centres: number[] = [];
  for (const [stride, perCell] of grids) {
    const cells = Math.ceil(size / stride);
    for (let y = 0; y < cells; y++)
      for (let x = 0; x < cells; x++)
        for (let n = 0; n < perCell; n++) centres.push(stride * (x + 0.5), stride * (y + 0.5));
  }
  return Float32Array.from(centres);
}

/** Square tiles along one axis: overlapping by a quarter tile, the last one flush with the edge. */
function tileStarts(length: number, tile: number): number[] {
  if (length <= tile) return [0];
  const stride = Math.floor(tile * 0.75);
  const starts: number[] = [];
  for (let s = 0; s + tile < length; s += stride) starts.push(s);
  starts.push(length - tile);
  return starts;
}

/**
 * Where the detector looks: the whole image (letterboxed), then, for images whose smaller side is
 * above `tileAbove`, a grid of overlapping tiles at each finer scale (a third of the last, never
 * under `tileSize`), so faces down to about a tenth of `tileSize` are seen at a size it resolves.
 */
export function detectorTiles(width: number, height: number, tileAbove: number, tileSize: number): Tile[] {
  const tiles: Tile[] = [{ x: 0, y: 0, side: Math.max(width, height) }];
  if (Math.min(width, height) <= tileAbove) return tiles;
  const finest = Math.max(tileSize, Math.round(Math.min(width, height) / 2.5));
  for (let side = finest; side * 1.5 < Math.max(width, height); side *= 3) {
    const rows = tileStarts(height, side);
    for (const x of tileStarts(width, side)) for (const y of rows) tiles.push({ x, y, side });
  }
  return tiles;
}

/** Greedy non-maximum suppression: the best-scoring box of each overlapping group. */
function suppress(candidates: Candidate[], threshold: number): Candidate[] {
  const kept: Candidate[] = [];
  for (const c of candidates.sort((a, b) => b.score - a.score)) {
    if (kept.every((k) => iou(k.box, c.box) <= threshold)) kept.push(c);
  }
  return kept;
}

/** BlazeFace on a pyramid of tiles; one model pass and one readback per tile. */
export class FaceDetector {
  readonly size: number;
  private readonly anchors: Float32Array;
  passes = 0;

  constructor(
    private readonly tf: Tf,
    private readonly model: GraphModel,
  ) {
    this.size = model.inputs[0]?.shape?.[1] ?? 256;
    this.anchors = anchorCentres(this.size);
  }

  /** Every face the detector finds in the tiles, in image pixels, overlaps suppressed. */
  async detect(
    image: FaceInput,
    tiles: readonly Tile[],
    minScore: number,
    signal?: AbortSignal,
  ): Promise<Candidate[]> {
    const found: Candidate[] = [];
    for (const tile of tiles) {
      if (signal?.aborted) break;
      for (const c of await this.detectTile(image, tile, minScore)) {
        if (!touchesInnerEdge(c.box, tile, image.width, image.height)) found.push(c);
      }
    }
    return suppress(found, 0.3);
  }

  private async detectTile(image: FaceInput, tile: Tile, minScore: number): Promise<Candidate[]> {
    const { size } = this;
    const scale = size / tile.side;
    const region = { cx: tile.x + tile.side / 2, cy: tile.y + tile.side / 2, side: tile.side, angle: 0 };
    const tensor = await image.tensor(this.tf, [region], size, { scale: 2, offset: -1 });
    const outputs = this.model.execute(tensor);
    this.passes++;
    const list = Array.isArray(outputs) ? outputs : [outputs];
    try {
      // Outputs: scores [1, n, 1] and regressors [1, n, 16] for the 512 fine anchors, then the 384 coarse.
      const pick = (anchors: number, width: number) => {
        const t = list.find((o) => o.shape[1] === anchors && o.shape[2] === width);
        if (!t) throw new Error(`face detector output [1, ${anchors}, ${width}] missing`);
        return t;
      };
      // Read back as one: on WebGPU every read is a GPU buffer mapped, so the four outputs go in one.
      const [scoresFine, scoresCoarse, boxesFine, boxesCoarse] = await readOnce(this.tf, [
        pick(512, 1),
        pick(384, 1),
        pick(512, REGRESSORS),
        pick(384, REGRESSORS),
      ]);
      const scores = [scoresFine!, scoresCoarse!];
      const boxes = [boxesFine!, boxesCoarse!];
      const found: Candidate[] = [];
      const minLogit = Math.log(minScore / (1 - minScore));
      for (let a = 0; a < this.anchors.length / 2; a++) {
        const part = a < 512 ? 0 : 1;
        const k = part === 0 ? a : a - 512;
        const logit = scores[part]![k]!;
        if (logit < minLogit) continue;
        found.push(this.decode(boxes[part]!, k, a, tile, scale, 1 / (1 + Math.exp(-logit))));
      }
      return suppress(found, 0.3);
    } finally {
      this.tf.dispose([tensor, ...list]);
    }
  }

  private decode(
    regressors: Float32Array,
    k: number,
    a: number,
    tile: Tile,
    scale: number,
    score: number,
  ): Candidate {
    const r = regressors.subarray(k * REGRESSORS, (k + 1) * REGRESSORS);
    const ax = this.anchors[a * 2]!;
    const ay = this.anchors[a * 2 + 1]!;
    const toX = (v: number) => tile.x + (ax + v) / scale;
    const toY = (v: number) => tile.y + (ay + v) / scale;
    const w = r[2]! / scale;
    const h = r[3]! / scale;
    const keypoints = new Float32Array(KEYPOINTS * 2);
    for (let p = 0; p < KEYPOINTS; p++) {
      keypoints[p * 2] = toX(r[4 + p * 2]!);
      keypoints[p * 2 + 1] = toY(r[5 + p * 2]!);
    }
    return { box: [toX(r[0]!) - w / 2, toY(r[1]!) - h / 2, w, h], keypoints, score };
  }
}

/** A hit cut by a tile edge that is not the image's edge: another tile sees that face whole. */
function touchesInnerEdge(box: Box, tile: Tile, width: number, height: number): boolean {
  const margin = 2;
  const right = tile.x + tile.side;
  const bottom = tile.y + tile.side;
  return (
    (tile.x > 0 && box[0] - tile.x < margin) ||
    (tile.y > 0 && box[1] - tile.y < margin) ||
    (right < width && right - (box[0] + box[2]) < margin) ||
    (bottom < height && bottom - (box[1] + box[3]) < margin)
  );
}
