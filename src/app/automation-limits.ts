import { bytesToBase64 } from '../shared/bytes';
import { defaultConfig } from '../shared/config';
import { checkImageSize } from '../shared/image-file';
import type { AnalyzeResult } from '../workers/engine/client';
import { largest } from './automation-bench';
import { analyzeSource, decodeBase64, release, session } from './automation-session';

/**
 * What `npm run limits` (scripts/lib/limits-*.ts) asks of the engine: a demo photo changed in the
 * page (scaled into a frame, rotated, barred, tiled, enlarged), analysed and optionally swapped by
 * the same engine as the app, with a small JPEG of the result to show the limit.
 */

/** How the photo is changed before the engine sees it. `box` is the face in the original photo. */
export type LimitsChange =
  /** The photo scaled so the face is `faceWidth` px wide, centred in a `frame` (w×h) of grey. */
  | { kind: 'scale'; box: Box; faceWidth: number; frame: [number, number] }
  /** The photo turned clockwise by `deg` about its centre, the canvas grown to hold it. */
  | { kind: 'rotate'; deg: number }
  /** A black bar over the lower `fraction` of the face box (as a scarf or a hand would), 20% wider than it. */
  | { kind: 'bar'; box: Box; fraction: number }
  /** The face (its box with a margin) repeated in a `columns`×`rows` grid of `cell`-px cells. */
  | { kind: 'tile'; box: Box; columns: number; rows: number; cell: number }
  /** The photo stretched over a `width`×`height` canvas. */
  | { kind: 'size'; width: number; height: number };

type Box = [number, number, number, number];

export interface LimitsProbeRequest {
  /** The demo photo, base64. */
  photo: string;
  change: LimitsChange;
  /** Swap the faces found with the kept source (`limitsSource`). */
  swap: boolean;
  /** The longer side of the returned picture (scaled up or down); no picture when omitted. */
  pictureSide?: number;
  /** The part of the (changed or swapped) image the picture shows; all of it when omitted. */
  pictureCrop?: Box;
}

export interface LimitsFace {
  box: Box;
  score: number;
  rollDeg: number;
  yawDeg: number | null;
}

export interface LimitsProbeResult {
  width: number;
  height: number;
  faces: LimitsFace[];
  /** Set when the swap ran. */
  facesSwapped?: number;
  /** Faces the swap left as they were (turned too far), numbered as `faces`. */
  skipped?: number[];
  /** The app's own size check refused the image (IMAGE_TOO_LARGE): nothing was analysed. */
  refused?: string;
  /** JPEG, base64: the swapped result when the swap ran, else the changed photo. */
  picture?: string;
}

let kept: AnalyzeResult | null = null;

/** Analyses the source photo every later swap uses (the previous one is released). */
export async function limitsSource(b64: string): Promise<LimitsFace[]> {
  const { engine } = session();
  if (kept) await release(kept);
  kept = null;
  kept = await analyzeSource(engine, b64);
  return kept.faces.map(face);
}

function face({ box, score, rollDeg, yawDeg }: AnalyzeResult['faces'][number]): LimitsFace {
  return { box, score, rollDeg, yawDeg: yawDeg ?? null };
}

function canvas2d(width: number, height: number): OffscreenCanvasRenderingContext2D {
  const ctx = new OffscreenCanvas(width, height).getContext('2d');
  if (!ctx) throw new Error(`no 2D canvas of ${width}×${height} here`);
  return ctx;
}

/** The changed photo on a canvas. */
function draw(photo: ImageBitmap, change: LimitsChange): OffscreenCanvas {
  switch (change.kind) {
    case 'scale': {
      const [w, h] = change.frame;
      const ctx = canvas2d(w, h);
      ctx.fillStyle = '#808080';
      ctx.fillRect(0, 0, w, h);
      const k = change.faceWidth / change.box[2];
      const [bx, by, bw, bh] = change.box;
      // The face's centre lands on the frame's centre.
      const x = w / 2 - (bx + bw / 2) * k;
      const y = h / 2 - (by + bh / 2) * k;
      ctx.imageSmoothingQuality = 'high';
      ctx.drawImage(photo, x, y, photo.width * k, photo.height * k);
      return ctx.canvas;
    }
    case 'rotate': {
      const r = (change.deg * Math.PI) / 180;
      const w = Math.ceil(Math.abs(photo.width * Math.cos(r)) + Math.abs(photo.height * Math.sin(r)));
      const h = Math.ceil(Math.abs(photo.width * Math.sin(r)) + Math.abs(photo.height * Math.cos(r)));
      const ctx = canvas2d(w, h);
      ctx.fillStyle = '#808080';
      ctx.fillRect(0, 0, w, h);
      ctx.translate(w / 2, h / 2);
      ctx.rotate(r);
      ctx.drawImage(photo, -photo.width / 2, -photo.height / 2);
      return ctx.canvas;
    }
    case 'bar': {
      const ctx = canvas2d(photo.width, photo.height);
      ctx.drawImage(photo, 0, 0);
      const [bx, by, bw, bh] = change.box;
      ctx.fillStyle = '#000';
      ctx.fillRect(bx - bw * 0.1, by + bh * (1 - change.fraction), bw * 1.2, bh * change.fraction);
      return ctx.canvas;
    }
    case 'tile': {
      const { columns, rows, cell } = change;
      const ctx = canvas2d(columns * cell, rows * cell);
      const [bx, by, bw, bh] = change.box;
      const side = Math.max(bw, bh) * 1.6;
      const sx = bx + bw / 2 - side / 2;
      const sy = by + bh / 2 - side / 2;
      for (let row = 0; row < rows; row++)
        for (let col = 0; col < columns; col++)
          ctx.drawImage(photo, sx, sy, side, side, col * cell, row * cell, cell, cell);
      return ctx.canvas;
    }
    case 'size': {
      const ctx = canvas2d(change.width, change.height);
      ctx.drawImage(photo, 0, 0, change.width, change.height);
      return ctx.canvas;
    }
  }
}

/** A JPEG of `crop` of `source`, `side` px on its longer side (enlarged pixels stay sharp), base64. */
async function picture(
  source: CanvasImageSource & { width: number; height: number },
  side: number,
  crop?: Box,
) {
  const [x, y, w, h] = crop ?? [0, 0, source.width, source.height];
  const k = side / Math.max(w, h);
  const ctx = canvas2d(Math.max(1, Math.round(w * k)), Math.max(1, Math.round(h * k)));
  ctx.fillStyle = '#808080';
  ctx.fillRect(0, 0, ctx.canvas.width, ctx.canvas.height);
  ctx.imageSmoothingEnabled = k < 1;
  ctx.imageSmoothingQuality = 'high';
  ctx.drawImage(source, x, y, w, h, 0, 0, ctx.canvas.width, ctx.canvas.height);
  const blob = await ctx.canvas.convertToBlob({ type: 'image/jpeg', quality: 0.8 });
  return bytesToBase64(new Uint8Array(await blob.arrayBuffer()));
}

/** Changes the photo, runs the engine on it and reports what it found (and swapped). */
export async function limitsProbe(request: LimitsProbeRequest): Promise<LimitsProbeResult> {
  const { engine } = session();
  const photo = await decodeBase64(request.photo);
  let changed: OffscreenCanvas;
  try {
    changed = draw(photo, request.change);
  } finally {
    photo.close();
  }
  const { width, height } = changed;
  try {
    checkImageSize(width, height, defaultConfig.limits);
  } catch (error) {
    return { width, height, faces: [], refused: error instanceof Error ? error.message : String(error) };
  }
  const analysed = await engine.analyze(await createImageBitmap(changed));
  try {
    const result: LimitsProbeResult = { width, height, faces: analysed.faces.map(face) };
    let shown: CanvasImageSource & { width: number; height: number } = changed;
    if (request.swap && kept && analysed.faces.length > 0) {
      const swapped = await engine.swap({
        sourceId: kept.imageId,
        sourceFace: largest(kept).index,
        engine: 'builtin',
        targetId: analysed.imageId,
        blend: defaultConfig.blend,
      });
      result.facesSwapped = swapped.facesSwapped;
      result.skipped = (swapped.skipped ?? []).map((s) => s.face);
      shown = swapped.bitmap;
      await engine.release(swapped.resultId);
    }
    if (request.pictureSide) result.picture = await picture(shown, request.pictureSide, request.pictureCrop);
    if (shown instanceof ImageBitmap) shown.close();
    return result;
  } finally {
    await release(analysed);
  }
}
