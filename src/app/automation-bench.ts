import { defaultConfig } from '../shared/config';
import type { AnalysisFloors, AnalyzeResult, EngineClient, ModelPasses } from '../workers/engine/client';

/** The image benchmark's view of the app: a photo analysed when picked, then Swap pressed. */
export interface ImageBenchRequest {
  /** Base64 photos. */
  source: string;
  target: string;
  /** Timed runs of each step, after one untimed warm-up. */
  runs: number;
}

export interface PhotoFigures {
  width: number;
  height: number;
  faces: number;
  passes: ModelPasses;
  /** Median ms to analyse the photo (faces found, pixels read, thumbnails made). */
  ms: number;
  floors: AnalysisFloors;
}

export interface ImageBenchResult {
  analyse: { source: PhotoFigures; target: PhotoFigures };
  /** Swap pressed with both photos analysed: median ms per engine stage and in all. */
  swap: { facesSwapped: number; ms: Record<string, number> };
}

/** The median; of an even count, the mean of the middle two. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function medians(samples: readonly Record<string, number>[]): Record<string, number> {
  const keys = Object.keys(samples[0] ?? {});
  return Object.fromEntries(keys.map((k) => [k, median(samples.map((s) => s[k] ?? 0))]));
}

async function analyseTimed(
  engine: EngineClient,
  photo: ImageBitmap,
  runs: number,
): Promise<{ figures: PhotoFigures; kept: AnalyzeResult }> {
  const times: number[] = [];
  let kept: AnalyzeResult | null = null;
  for (let i = 0; i <= runs; i++) {
    const copy = await createImageBitmap(photo);
    const started = performance.now();
    const analysis = await engine.analyze(copy);
    if (i > 0) times.push(performance.now() - started);
    analysis.faces.forEach((f) => f.thumbnail.close());
    if (kept) await engine.release(kept.imageId);
    kept = analysis;
  }
  const analysis = kept!;
  const floors = await engine.analysisFloors(analysis.imageId);
  return {
    kept: analysis,
    figures: {
      width: analysis.width,
      height: analysis.height,
      faces: analysis.faces.length,
      passes: analysis.passes,
      ms: median(times),
      floors,
    },
  };
}

/** The photo's largest face: the source face the automation page uses unless told otherwise. */
export function largest(analysis: AnalyzeResult) {
  return analysis.faces.reduce((a, b) => (b.box[2] * b.box[3] > a.box[2] * a.box[3] ? b : a));
}

/** Analyses both photos `runs` times, then swaps every target face `runs` times; all warm. */
export async function benchImage(
  engine: EngineClient,
  decode: (b64: string) => Promise<ImageBitmap>,
  request: ImageBenchRequest,
): Promise<ImageBenchResult> {
  const photos = [await decode(request.source), await decode(request.target)];
  const analysed: AnalyzeResult[] = [];
  try {
    const source = await analyseTimed(engine, photos[0]!, request.runs);
    analysed.push(source.kept);
    const target = await analyseTimed(engine, photos[1]!, request.runs);
    analysed.push(target.kept);
    const samples: Record<string, number>[] = [];
    let facesSwapped = 0;
    for (let i = 0; i <= request.runs; i++) {
      const started = performance.now();
      const result = await engine.swap({
        sourceId: source.kept.imageId,
        sourceFace: largest(source.kept).index,
        targetId: target.kept.imageId,
        blend: defaultConfig.blend,
      });
      const total = performance.now() - started;
      result.bitmap.close();
      await engine.release(result.resultId);
      facesSwapped = result.facesSwapped;
      if (i > 0) samples.push({ ...result.ms, total });
    }
    return {
      analyse: { source: source.figures, target: target.figures },
      swap: { facesSwapped, ms: medians(samples) },
    };
  } finally {
    photos.forEach((p) => p.close());
    for (const analysis of analysed) await engine.release(analysis.imageId);
  }
}
