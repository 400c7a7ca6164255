import { Human, type Config, type FaceResult } from '@vladmandic/human';
import type { DoppelConfig } from '../../shared/config';
import type { Backend, EngineSettings } from './api';
import { iou } from './boxes';

/** A detected face: box and 468-point mesh in the pixel coordinates of the analysed image. */
export interface DetectedFace {
  box: [number, number, number, number];
  score: number;
  rollDeg: number;
  mesh: Float32Array;
}

type Detection = DoppelConfig['detection'];

function humanConfig(settings: EngineSettings, backend: Backend, detection: Detection): Partial<Config> {
  return {
    backend,
    wasmPath: settings.wasmBaseUrl,
    modelBasePath: settings.modelBaseUrl,
    debug: false,
    async: true,
    warmup: 'none',
    cacheModels: false,
    validateModels: false,
    cacheSensitivity: 0,
    filter: { enabled: false },
    gesture: { enabled: false },
    body: { enabled: false },
    hand: { enabled: false },
    object: { enabled: false },
    segmentation: { enabled: false },
    face: {
      enabled: true,
      detector: {
        modelPath: 'human/blazeface.json',
        rotation: true,
        maxDetected: detection.maxFaces,
        minConfidence: detection.minConfidence,
        iouThreshold: 0.3,
        minSize: 0,
        skipFrames: 0,
        skipTime: 0,
        return: false,
      },
      mesh: { enabled: true, modelPath: 'human/facemesh.json', keepInvalid: false },
      iris: { enabled: false },
      attention: { enabled: false },
      description: { enabled: false },
      emotion: { enabled: false },
      antispoof: { enabled: false },
      liveness: { enabled: false },
      gear: { enabled: false },
    },
  };
}

/** Tile origins along one axis: overlapping by a quarter tile, the last tile flush with the edge. */
function tileStarts(length: number, tile: number): number[] {
  if (length <= tile) return [0];
  const stride = Math.floor(tile * 0.75);
  const starts: number[] = [];
  for (let s = 0; s + tile < length; s += stride) starts.push(s);
  starts.push(length - tile);
  return starts;
}

export class FaceAnalyzer {
  private constructor(
    private readonly human: Human,
    private readonly detection: Detection,
  ) {}

  static async create(
    settings: EngineSettings,
    backend: Backend,
    detection: Detection,
  ): Promise<FaceAnalyzer> {
    const human = new Human(humanConfig(settings, backend, detection));
    await human.init();
    await human.load();
    return new FaceAnalyzer(human, detection);
  }

  get triangulation(): readonly number[] {
    return this.human.faceTriangulation;
  }

  /** The GPUDevice tfjs runs on, when its backend is WebGPU, so our kernels can share it. */
  get gpuDevice(): GPUDevice | null {
    const backend = this.human.tf.backend() as { device?: GPUDevice };
    return backend.device ?? null;
  }

  private async run(input: ImageBitmap | OffscreenCanvas, dx: number, dy: number): Promise<DetectedFace[]> {
    const result = await this.human.detect(input);
    return result.face.filter((f) => f.mesh.length >= 468).map((f) => toDetected(f, dx, dy));
  }

  /**
   * Finds every face: one pass over the whole image, then (for large images) overlapping tiles
   * so that small faces are seen at a scale the 256-px detector can resolve.
   */
  async detect(
    image: ImageBitmap,
    signal?: AbortSignal,
    onProgress?: (done: number, total: number) => void,
  ): Promise<DetectedFace[]> {
    const faces = await this.run(image, 0, 0);
    const { tileAbove, tileSize } = this.detection;
    if (Math.min(image.width, image.height) > tileAbove) {
      const rows = tileStarts(image.height, tileSize);
      const columns = tileStarts(image.width, tileSize);
      let done = 0;
      const canvas = new OffscreenCanvas(tileSize, tileSize);
      const ctx = canvas.getContext('2d', { willReadFrequently: true });
      if (!ctx) throw new Error('no 2d context for tiles');
      for (const y of rows) {
        for (const x of columns) {
          if (signal?.aborted) return faces;
          onProgress?.(++done, rows.length * columns.length);
          ctx.clearRect(0, 0, tileSize, tileSize);
          ctx.drawImage(image, x, y, tileSize, tileSize, 0, 0, tileSize, tileSize);
          for (const found of await this.run(canvas, x, y)) {
            const touchesEdge =
              (found.box[0] - x < 2 && x > 0) ||
              (found.box[1] - y < 2 && y > 0) ||
              (x + tileSize - (found.box[0] + found.box[2]) < 2 && x + tileSize < image.width) ||
              (y + tileSize - (found.box[1] + found.box[3]) < 2 && y + tileSize < image.height);
            if (touchesEdge || faces.some((f) => iou(f.box, found.box) > 0.2)) continue;
            faces.push(found);
          }
        }
      }
    }
    return faces.slice(0, this.detection.maxFaces);
  }

  dispose(): void {
    this.human.tf.engine().reset();
  }
}

function toDetected(face: FaceResult, dx: number, dy: number): DetectedFace {
  const mesh = new Float32Array(468 * 2);
  for (let i = 0; i < 468; i++) {
    const p = face.mesh[i];
    if (!p) throw new Error('mesh point missing');
    mesh[i * 2] = p[0] + dx;
    mesh[i * 2 + 1] = p[1] + dy;
  }
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let i = 0; i < 468; i++) {
    const x = mesh[i * 2] as number;
    const y = mesh[i * 2 + 1] as number;
    minX = Math.min(minX, x);
    minY = Math.min(minY, y);
    maxX = Math.max(maxX, x);
    maxY = Math.max(maxY, y);
  }
  const roll = face.rotation?.angle.roll ?? 0;
  return {
    box: [minX, minY, maxX - minX, maxY - minY],
    score: face.score,
    rollDeg: (roll * 180) / Math.PI,
    mesh,
  };
}
