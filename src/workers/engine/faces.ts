import { Human, type Config } from '@vladmandic/human';
import type { FaceTrack } from '../../gpu/types';
import type { DoppelConfig } from '../../shared/config';
import type { Backend, EngineSettings, ModelPasses } from './api';
import { iou, type Box } from './boxes';
import { FaceDescriber } from './descriptors';
import { detectorTiles, FaceDetector } from './face-detector';
import type { FaceInput } from './face-input';
import { EyeRefiner } from './eye-refiner';
import { loadVerifiedModels, type GraphModel, type Tf } from './face-models';
import { HandFinder, type FoundHand } from './hand-finder';
import {
  cropFromDetection,
  cropFromMesh,
  eyeLineAngle,
  FaceMesher,
  MESH_POINTS,
  type MeshCrop,
} from './face-mesh';

/** A detected face: box and 468-point mesh in the pixel coordinates of the analysed image. */
export interface DetectedFace {
  box: Box;
  score: number;
  rollDeg: number;
  /** Left-right turn in degrees from the mesh model's depth (0 frontal); see meshYaw. */
  yawDeg?: number;
  mesh: Float32Array;
  /** Set in video, GIF and live (FaceTracks): the face's track, so its colour is smoothed over time. */
  track?: FaceTrack;
}

type Detection = DoppelConfig['detection'];

/** Tracking: a face whose mesh lands this far (a fraction of the crop) off its crop is meshed again. */
const RECENTRE_SHIFT = 0.04;
const MAX_TRACK_PASSES = 4;

/** The built-in engine's face models as files in the model manifest (entry `human-face`). */
export const faceModelFiles = {
  detector: 'human/blazeface.json',
  mesh: 'human/facemesh.json',
  eyes: 'human/iris.json',
} as const;

/** Human only sets up tfjs (backend, wasm paths) here; its own face pipeline is not used. */
function humanConfig(settings: EngineSettings, backend: Backend): Partial<Config> {
  return {
    backend,
    wasmPath: settings.wasmBaseUrl,
    modelBasePath: settings.modelBaseUrl,
    debug: false,
    async: true,
    warmup: 'none',
    cacheModels: false,
    validateModels: false,
    filter: { enabled: false },
    gesture: { enabled: false },
    body: { enabled: false },
    hand: { enabled: false },
    object: { enabled: false },
    segmentation: { enabled: false },
    face: { enabled: false },
  };
}

function faceFromMesh(mesh: Float32Array, score: number, yawDeg: number): DetectedFace {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < MESH_POINTS * 2; i += 2) {
    minX = Math.min(minX, mesh[i]!);
    maxX = Math.max(maxX, mesh[i]!);
    minY = Math.min(minY, mesh[i + 1]!);
    maxY = Math.max(maxY, mesh[i + 1]!);
  }
  return {
    box: [minX, minY, maxX - minX, maxY - minY],
    score,
    rollDeg: (eyeLineAngle(mesh) * 180) / Math.PI,
    yawDeg,
    mesh,
  };
}

/**
 * Finds faces and their meshes: the detector over a pyramid of tiles once per image, then the mesh
 * once per face on a crop turned upright around it. `track` follows known faces with the mesh alone.
 */
export class FaceAnalyzer {
  private constructor(
    private readonly human: Human,
    private readonly tf: Tf,
    private readonly models: { detector: GraphModel; mesh: GraphModel; eyes: GraphModel },
    private readonly detector: FaceDetector,
    private readonly mesher: FaceMesher,
    private readonly eyes: EyeRefiner,
    private readonly detection: Detection,
    private readonly device: GPUDevice | null,
    /** The hand models (findHands runs them on a photo; frames follow hands with them, HandFollower). */
    readonly hands: HandFinder,
    /** Who each face is (reference mode, face mapping); its model loads on first use. */
    readonly describer: FaceDescriber,
  ) {}

  static async create(
    settings: EngineSettings,
    backend: Backend,
    detection: Detection,
  ): Promise<FaceAnalyzer> {
    const human = new Human(humanConfig(settings, backend));
    const tf = human.tf as Tf;
    // tfjs takes at most half the logical cores (and 8) whatever is asked; asking fewer is for comparing.
    if (backend === 'wasm' && settings.threads) tf.setThreadsCount(settings.threads);
    await human.init();
    // The hand models load with the face models, so one visit leaves every model the app runs cached.
    const [[detector, mesh, eyes], hands] = await Promise.all([
      loadVerifiedModels(tf, settings.modelBaseUrl, 'human-face', [
        faceModelFiles.detector,
        faceModelFiles.mesh,
        faceModelFiles.eyes,
      ]),
      HandFinder.create(tf, settings.modelBaseUrl),
    ]);
    return new FaceAnalyzer(
      human,
      tf,
      { detector: detector!, mesh: mesh!, eyes: eyes! },
      new FaceDetector(tf, detector!),
      new FaceMesher(tf, mesh!),
      new EyeRefiner(tf, eyes!),
      detection,
      tf.getBackend() === 'webgpu' ? ((tf.backend() as { device?: GPUDevice }).device ?? null) : null,
      hands,
      new FaceDescriber(tf, settings.modelBaseUrl),
    );
  }

  get triangulation(): readonly number[] {
    return this.human.faceTriangulation;
  }

  /** Threads tfjs runs the face models on (WASM), 1 on WebGPU. */
  get threads(): number {
    return this.tf.getBackend() === 'wasm' ? Math.max(1, this.tf.getThreadsCount()) : 1;
  }

  /**
   * The GPUDevice tfjs ran these models on, when its backend was WebGPU, so our kernels can share
   * it. Kept from the start: after a GPU loss tfjs's current backend is another one.
   */
  get gpuDevice(): GPUDevice | null {
    return this.device;
  }

  /** Model runs since the last call. */
  takePasses(): ModelPasses {
    const passes = {
      detector: this.detector.passes,
      mesh: this.mesher.passes,
      eyes: this.eyes.passes,
      handDetector: this.hands.passes.detector,
      handLandmarks: this.hands.passes.landmarks,
    };
    this.detector.passes = 0;
    this.mesher.passes = 0;
    this.eyes.passes = 0;
    this.hands.passes = { detector: 0, landmarks: 0 };
    return passes;
  }

  /** Meshes the crops and keeps the faces the mesh model is confident of, overlaps removed. */
  private async meshFaces(image: FaceInput, crops: MeshCrop[]): Promise<(DetectedFace | null)[]> {
    const results = await this.mesher.mesh(image, crops);
    return results.map(({ mesh, score, yawDeg }) =>
      score >= this.detection.minConfidence ? faceFromMesh(mesh, score, yawDeg) : null,
    );
  }

  /** Every face in the image: one detector pass per tile, then one mesh per face. */
  async detect(image: FaceInput, signal?: AbortSignal): Promise<DetectedFace[]> {
    const tiles = detectorTiles(image.width, image.height, this.detection.tileAbove, this.detection.tileSize);
    const candidates = await this.detector.detect(image, tiles, this.detection.minConfidence, signal);
    const meshed = await this.meshFaces(
      image,
      candidates.map((c) => cropFromDetection(c.box, c.keypoints)),
    );
    const faces: DetectedFace[] = [];
    for (const face of meshed) {
      if (face && faces.every((f) => iou(f.box, face.box) <= 0.2)) faces.push(face);
    }
    const kept = faces.slice(0, this.detection.maxFaces);
    await this.eyes.refine(image, kept);
    return kept;
  }

  /** Hands where they could cover one of these faces (see HandFinder); none when there is no face. */
  async findHands(
    image: FaceInput,
    faces: readonly DetectedFace[],
    signal?: AbortSignal,
  ): Promise<FoundHand[]> {
    if (faces.length === 0) return [];
    return this.hands.find(
      image,
      faces.map((f) => f.box),
      signal,
    );
  }

  /**
   * The known faces in a new frame, by the mesh alone on crops predicted from their last meshes
   * (moved by `motion`, their last step, when given): null where the mesh model no longer sees a
   * face there. A face that landed off its crop's centre is meshed once more on a crop around it.
   */
  async track(
    image: FaceInput,
    previous: readonly DetectedFace[],
    motion?: readonly (readonly [number, number])[],
  ): Promise<(DetectedFace | null)[]> {
    const crops = previous.map((face, i) => {
      const crop = cropFromMesh(face.mesh);
      const [dx, dy] = motion?.[i] ?? [0, 0];
      return { ...crop, cx: crop.cx + dx, cy: crop.cy + dy };
    });
    const faces = await this.meshFaces(image, crops);
    // The mesh leans towards its crop's centre: re-centre fast movers until they settle.
    let pending = faces.map((_, i) => i);
    for (let pass = 1; pass < MAX_TRACK_PASSES && pending.length > 0; pass++) {
      const off = pending.flatMap((i) => {
        const face = faces[i];
        if (!face) return [];
        const crop = cropFromMesh(face.mesh);
        const shift = Math.hypot(crop.cx - crops[i]!.cx, crop.cy - crops[i]!.cy);
        crops[i] = crop;
        return shift > RECENTRE_SHIFT * crop.side ? [i] : [];
      });
      const again = await this.meshFaces(
        image,
        off.map((i) => crops[i]!),
      );
      off.forEach((i, k) => (faces[i] = again[k] ?? null));
      pending = off;
    }
    await this.eyes.refine(
      image,
      faces.filter((face): face is DetectedFace => face !== null),
    );
    return faces;
  }

  /**
   * The floor under `detect`: the detector model alone for as many passes, and the mesh model alone
   * on a batch of `faces` then the iris model on their eyes (`mesh`), on blank inputs, with none of
   * the pipeline's drawing or decoding.
   */
  async modelFloor(passes: ModelPasses, faces: number): Promise<{ detector: number; mesh: number }> {
    const run = async (model: GraphModel, batch: number, size: number) => {
      const input = this.tf.tensor4d(new Float32Array(batch * size * size * 3), [batch, size, size, 3]);
      const outputs = model.execute(input);
      const list = Array.isArray(outputs) ? outputs : [outputs];
      await Promise.all(list.map((t) => t.data()));
      this.tf.dispose([input, ...list]);
    };
    let started = performance.now();
    for (let i = 0; i < passes.detector; i++) await run(this.models.detector, 1, this.detector.size);
    const detector = performance.now() - started;
    started = performance.now();
    if (faces > 0) await run(this.models.mesh, faces, this.mesher.size);
    if (faces > 0) await run(this.models.eyes, 2 * faces, this.eyes.size);
    return { detector, mesh: performance.now() - started };
  }

  dispose(): void {
    this.tf.engine().reset();
  }
}
