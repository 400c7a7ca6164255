/**
 * One neural swap, as insightface and FaceFusion run inswapper_128: the source identities (ArcFace on
 * 112-px aligned crops, averaged, times the emap), then per target face a 5-point similarity crop at
 * 128 px (or 256/512 split into 128-px tiles: pixel boost), the swapper, the paste-back through the
 * inverse transform with FaceFusion's box mask (min'd with the chosen occlusion and region masks and
 * the holes of the hands in front of the face), and optional restoration (GFPGAN on the FFHQ 512
 * template, blended by the chosen amount).
 */
import type { Tensor } from 'onnxruntime-web/webgpu';
import { alignedCrop, meanStdNormalisation, type CropParams } from '../../gpu/reference/neural-crop';
import { MAX_HANDS } from '../../gpu/face-geometry';
import type { HandHoles } from '../../gpu/reference/hand-holes';
import { pasteRegion, type BoxMask } from '../../gpu/reference/neural-paste';
import { throwIfAborted } from '../../shared/errors';
import type { ModelMaskKind, NeuralOptions } from '../engine/api';
import { handsOver } from '../engine/hand-outline';
import { composeAffine, type Affine } from '../../gpu/affine';
import { arcfaceTemplate, estimateSimilarity } from './align';
import type { FrameOps, MergedCrop, ModelMask } from './frame-ops';
import { ARCFACE_INPUT_SIZE, averageIdentity, latentFromEmbedding } from './latent';
import { pixelBoostFactor, SWAPPER_SIZE } from './pixel-boost';
import { iou, letterbox, letterboxCrop, scrfdFaces, type ScrfdFace } from './scrfd';
import type { LoadedModel } from './sessions';
import type { Ort } from './ort';

/** FaceFusion's `ffhq_512` warp template (face_helper.py), times 512: GFPGAN's alignment. */
const FFHQ_512 = [
  0.37691676, 0.46864664, 0.62285697, 0.46912813, 0.50123859, 0.61331904, 0.3930882, 0.725411, 0.61150205,
  0.72490465,
].map((v) => v * 512);
const ENHANCER_SIZE = 512;

/** FaceFusion's default box mask: blur 0.3, no padding. */
const BOX_MASK: BoxMask = { blur: 0.3, padding: [0, 0, 0, 0] };

/** A face matched to a SCRFD detection when its IoU is above this. */
const MATCH_IOU = 0.3;

export interface NeuralModels {
  swapper: LoadedModel;
  embedder: LoadedModel;
  detector: LoadedModel | null;
  enhancer: LoadedModel | null;
  /** XSeg occlusion and BiSeNet region maskers. */
  occluder: LoadedModel | null;
  parser: LoadedModel | null;
}

/** How each masker sees the aligned face: its grid side and input normalisation (FaceFusion's). */
const maskers: Record<ModelMaskKind, { side: number; input: Partial<CropParams> }> = {
  occlusion: { side: 256, input: { layout: 'nhwc', bgr: true, scale: 1 / 255, offset: 0 } },
  region: {
    side: 512,
    input: meanStdNormalisation([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
  },
};

export interface SourceFace {
  ops: FrameOps;
  /** 5 points in insightface's order, image pixels. */
  points: Float32Array;
}

export interface TargetFace {
  /** x, y, width, height. */
  box: readonly [number, number, number, number];
  /** 5 points from the mesh; replaced by SCRFD's keypoints when a detector is installed. */
  points: Float32Array;
  /**
   * The hands that may cover the face (the target's outlines) and the face's feather: the pastes keep
   * what the hands over their region cover. Absent: no hands are kept.
   */
  hands?: HandHoles;
}

export type NeuralStage = 'detect' | 'embed' | 'align' | 'swap' | 'mask' | 'restore' | 'paste';

export interface NeuralSwapJob {
  ort: Ort;
  models: NeuralModels;
  sources: readonly SourceFace[];
  /** The sources' latent from an earlier swap with the same sources (an animation's frames): skips embedding. */
  latent?: Float32Array;
  target: FrameOps;
  size: { width: number; height: number };
  faces: readonly TargetFace[];
  options: NeuralOptions;
  signal: AbortSignal;
  onFaceDone?: (done: number, total: number) => void;
}

class StageClock {
  readonly ms: Record<NeuralStage, number> = {
    detect: 0,
    embed: 0,
    align: 0,
    swap: 0,
    mask: 0,
    restore: 0,
    paste: 0,
  };

  async time<T>(stage: NeuralStage, work: () => T | Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await work();
    } finally {
      this.ms[stage] += performance.now() - started;
    }
  }
}

async function runOne(model: LoadedModel, feeds: Record<string, Tensor>): Promise<Tensor> {
  const outputs = await model.session.run(feeds);
  const name = model.session.outputNames[0] as string;
  return outputs[name] as Tensor;
}

const firstInput = (model: LoadedModel) => model.session.inputNames[0] as string;

async function identity(job: NeuralSwapJob, clock: StageClock): Promise<Float32Array> {
  const template = arcfaceTemplate(ARCFACE_INPUT_SIZE);
  const embeddings: Float32Array[] = [];
  for (const source of job.sources) {
    const { inverse } = estimateSimilarity(source.points, template);
    const input = await clock.time('align', () =>
      source.ops.crop(alignedCrop(inverse, ARCFACE_INPUT_SIZE, 1 / 127.5, -1)),
    );
    const output = await clock.time('embed', () =>
      runOne(job.models.embedder, { [firstInput(job.models.embedder)]: input }),
    );
    embeddings.push((await output.getData()) as Float32Array);
    input.dispose();
    output.dispose();
    throwIfAborted(job.signal);
  }
  return latentFromEmbedding(averageIdentity(embeddings), job.models.swapper.emap as Float32Array);
}

/**
 * SCRFD's 5 points for each target face it also found; the mesh's points for the others. The
 * letterbox crop counts as `align`, like the other model inputs; the pass and its decoding as `detect`.
 */
async function detectPoints(
  job: NeuralSwapJob,
  clock: StageClock,
  detector: LoadedModel,
): Promise<Float32Array[]> {
  const box = letterbox(job.size.width, job.size.height);
  const input = await clock.time('align', () =>
    job.target.crop(letterboxCrop(job.size.width, job.size.height)),
  );
  const found: ScrfdFace[] = await clock.time('detect', async () => {
    const outputs = await detector.session.run({ [firstInput(detector)]: input });
    input.dispose();
    const data = await Promise.all(
      detector.session.outputNames.map(
        (name) => (outputs[name] as Tensor).getData() as Promise<Float32Array>,
      ),
    );
    Object.values(outputs).forEach((t) => t.dispose());
    return scrfdFaces(data, box);
  });
  return job.faces.map((face) => {
    const corners: ScrfdFace['box'] = [
      face.box[0],
      face.box[1],
      face.box[0] + face.box[2],
      face.box[1] + face.box[3],
    ];
    let best = { overlap: MATCH_IOU, keypoints: face.points };
    for (const candidate of found) {
      const overlap = iou(candidate.box, corners);
      if (overlap > best.overlap) best = { overlap, keypoints: candidate.keypoints };
    }
    return best.keypoints;
  });
}

/** The hands over a paste's region (x, y, width, height), most overlapping first, at most MAX_HANDS. */
function handsIn(hands: HandHoles | undefined, region: readonly [number, number, number, number]) {
  return hands && { ...hands, outlines: handsOver(region, hands.outlines, MAX_HANDS) };
}

async function pasteBack(
  job: NeuralSwapJob,
  face: TargetFace,
  crop: MergedCrop,
  toCrop: Affine,
  size: number,
  amount: number,
  out: readonly [number, number],
  masks: readonly ModelMask[] = [],
) {
  const region = pasteRegion(toCrop, size, job.size.width, job.size.height);
  const hands = handsIn(face.hands, region);
  job.target.paste(
    crop,
    {
      toCrop,
      size,
      outScale: out[0],
      outOffset: out[1],
      mask: BOX_MASK,
      amount,
      region,
      ...(hands && { hands }),
    },
    masks,
  );
  job.target.release(crop);
  masks.forEach((mask) => job.target.release(mask));
}

/** The model masks the user chose whose models are installed, occlusion first. */
function chosenMaskers(job: NeuralSwapJob): { kind: ModelMaskKind; model: LoadedModel }[] {
  const installed = { occlusion: job.models.occluder, region: job.models.parser };
  return (['occlusion', 'region'] as const).flatMap((kind) => {
    const model = installed[kind];
    return job.options.masks.includes(kind) && model ? [{ kind, model }] : [];
  });
}

/**
 * The chosen occlusion and region masks of the target face: each masker sees the same aligned crop as
 * the swapper, resampled to its own grid, before the swap (FaceFusion masks the target crop).
 */
async function faceMasks(job: NeuralSwapJob, toImage: Affine, size: number): Promise<ModelMask[]> {
  const masks: ModelMask[] = [];
  for (const { kind, model } of chosenMaskers(job)) {
    const { side, input } = maskers[kind];
    // Mask-grid pixel g sits at crop-grid (g + 0.5) * size / side - 0.5.
    const ratio = size / side;
    const toGrid: Affine = [ratio, 0, (ratio - 1) / 2, 0, ratio, (ratio - 1) / 2];
    const tensor = job.target.crop({ ...alignedCrop(composeAffine(toImage, toGrid), side, 1, 0), ...input });
    const output = await runOne(model, { [firstInput(model)]: tensor });
    tensor.dispose();
    masks.push(await job.target.mask(kind, output, side));
    output.dispose();
  }
  return masks;
}

async function swapFace(job: NeuralSwapJob, clock: StageClock, face: TargetFace, latent: Tensor) {
  const { swapper } = job.models;
  const size = job.options.pixelBoost;
  const k = pixelBoostFactor(size);
  const { matrix, inverse } = estimateSimilarity(face.points, arcfaceTemplate(size));
  const masks = await clock.time('mask', () => faceMasks(job, inverse, size));
  const tiles: Tensor[] = [];
  for (let phaseY = 0; phaseY < k; phaseY++) {
    for (let phaseX = 0; phaseX < k; phaseX++) {
      const input = await clock.time('align', () =>
        job.target.crop({ ...alignedCrop(inverse, SWAPPER_SIZE, 1 / 255, 0), step: k, phaseX, phaseY }),
      );
      tiles.push(await clock.time('swap', () => runOne(swapper, { target: input, source: latent })));
      input.dispose();
      throwIfAborted(job.signal);
    }
  }
  await clock.time('paste', async () => {
    await pasteBack(job, face, await job.target.merge(tiles, k), matrix, size, 1, [255, 0], masks);
    tiles.forEach((t) => t.dispose());
  });
}

async function restoreFace(job: NeuralSwapJob, clock: StageClock, enhancer: LoadedModel, face: TargetFace) {
  await clock.time('restore', async () => {
    const { matrix, inverse } = estimateSimilarity(face.points, FFHQ_512);
    const input = job.target.crop(alignedCrop(inverse, ENHANCER_SIZE, 1 / 127.5, -1));
    const output = await runOne(enhancer, { [firstInput(enhancer)]: input });
    input.dispose();
    await pasteBack(
      job,
      face,
      await job.target.merge([output], 1),
      matrix,
      ENHANCER_SIZE,
      job.options.restore,
      [127.5, 127.5],
    );
    output.dispose();
  });
}

/** Swaps every face of the job into its target frame; returns milliseconds per stage and the latent used. */
export async function neuralSwap(
  job: NeuralSwapJob,
): Promise<{ ms: Partial<Record<NeuralStage, number>>; latent: Float32Array }> {
  const clock = new StageClock();
  const sourceLatent = job.latent ?? (await identity(job, clock));
  const latent = new job.ort.Tensor('float32', sourceLatent, [1, 512]);
  const { detector, enhancer } = job.models;
  const points = detector ? await detectPoints(job, clock, detector) : job.faces.map((face) => face.points);
  for (const [index, facePoints] of points.entries()) {
    throwIfAborted(job.signal);
    const face = { ...job.faces[index]!, points: facePoints };
    await swapFace(job, clock, face, latent);
    if (enhancer && job.options.restore > 0) await restoreFace(job, clock, enhancer, face);
    job.onFaceDone?.(index + 1, points.length);
  }
  // Stages that did not run are left out rather than reported as 0 ms.
  const { detect, mask, restore, ...ms } = clock.ms;
  return {
    ms: {
      ...ms,
      ...(detector ? { detect } : {}),
      ...(chosenMaskers(job).length > 0 ? { mask } : {}),
      ...(enhancer && job.options.restore > 0 ? { restore } : {}),
    },
    latent: sourceLatent,
  };
}
