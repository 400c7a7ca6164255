import type { DetectedFace } from './faces';
import type { FaceInput } from './face-input';
import { cropFromMesh } from './face-mesh';
import { loadVerifiedModels, type GraphModel, type Tf } from './face-models';

/** The face recogniser as files in the model manifest: Human's faceres (HSE FaceRec), 1024-d descriptors. */
export const describerModel = { id: 'human-faceres', file: 'human/faceres.json' } as const;

const INPUT_SIZE = 224;
const DESCRIPTOR_LENGTH = 1024;

/** The descriptor scaled to length 1, so that a dot product is the cosine similarity. */
function unitLength(values: Float32Array): Float32Array {
  let sum = 0;
  for (const v of values) sum += v * v;
  const norm = Math.sqrt(sum) || 1;
  return values.map((v) => v / norm);
}

/** Cosine similarity of two unit descriptors: 1 the same face, about 0 unrelated faces. */
export function similarity(a: Float32Array, b: Float32Array): number {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += a[i]! * b[i]!;
  return dot;
}

/**
 * Who a face is, as a descriptor: faceres on the face's crop turned upright along its eye line.
 * The model is fetched, checked and built the first time a descriptor is asked for, so swaps that
 * choose no face by similarity never load it.
 */
export class FaceDescriber {
  private model: Promise<GraphModel> | null = null;

  constructor(
    private readonly tf: Tf,
    private readonly modelBaseUrl: string,
  ) {}

  private load(): Promise<GraphModel> {
    this.model ??= loadVerifiedModels(this.tf, this.modelBaseUrl, describerModel.id, [describerModel.file])
      .then(([model]) => model!)
      .catch((error: unknown) => {
        this.model = null;
        throw error;
      });
    return this.model;
  }

  /** One unit-length descriptor per face, in order. */
  async describe(image: FaceInput, faces: readonly DetectedFace[]): Promise<Float32Array[]> {
    if (faces.length === 0) return [];
    const model = await this.load();
    const descriptors: Float32Array[] = [];
    // One face per run: the graph's pooling output is declared with a batch of one.
    for (const face of faces) {
      const input = await image.tensor(this.tf, [cropFromMesh(face.mesh, 1.4)], INPUT_SIZE, {
        scale: 255,
        offset: 0,
      });
      const outputs = model.execute(input);
      const list = Array.isArray(outputs) ? outputs : [outputs];
      try {
        const pooled = list.find((t) => t.shape[t.shape.length - 1] === DESCRIPTOR_LENGTH);
        if (!pooled) throw new Error('the face recogniser gave no 1024-value descriptor');
        descriptors.push(unitLength((await pooled.data()).slice(0, DESCRIPTOR_LENGTH)));
      } finally {
        this.tf.dispose([input, ...list]);
      }
    }
    return descriptors;
  }
}
