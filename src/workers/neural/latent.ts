/**
 * ArcFace w600k_r50 input side (insightface `arcface_dst` is defined on 112x112 crops). The embedder
 * input, 1x3x112x112 planar RGB with each value (x - 127.5) / 127.5 (insightface ArcFaceONNX
 * `input_mean` = `input_std` = 127.5), is cut straight from the photo by the neural crop (scale
 * 1 / 127.5, offset -1; see neural-swap.ts).
 */
export const ARCFACE_INPUT_SIZE = 112;

/** The vector divided by its Euclidean norm (a new array). Throws on the zero vector. */
export function l2Normalize(v: ArrayLike<number>): Float32Array {
  let sum = 0;
  for (let i = 0; i < v.length; i++) sum += (v[i] as number) ** 2;
  if (!(sum > 0)) throw new RangeError('cannot normalise a zero (or non-finite) vector');
  const norm = Math.sqrt(sum);
  return Float32Array.from(v, (x) => x / norm);
}

/**
 * The swapper's `source` input: normalise(normalise(embedding) . emap), the embedding as a row
 * vector multiplied on the left of emap, as insightface's INSwapper does
 * (`latent = normed_embedding.reshape((1, -1)); latent = np.dot(latent, emap); latent /= norm`).
 * emap is d x d row-major (512 x 512 for inswapper_128), so latent[j] = sum_i e[i] * emap[i * d + j].
 */
export function latentFromEmbedding(embedding: ArrayLike<number>, emap: Float32Array): Float32Array {
  const d = embedding.length;
  if (emap.length !== d * d) throw new RangeError(`emap must be ${d}x${d}, has ${emap.length} values`);
  const e = l2Normalize(embedding);
  const latent = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    const ei = e[i] as number;
    if (ei === 0) continue;
    const row = i * d;
    for (let j = 0; j < d; j++) latent[j] = (latent[j] as number) + ei * (emap[row + j] as number);
  }
  return l2Normalize(latent);
}

/**
 * One identity from several source photos: the mean of their L2-normalised embeddings,
 * normalised again (FaceFusion averages the normed embeddings of its source faces).
 */
export function averageIdentity(embeddings: readonly ArrayLike<number>[]): Float32Array {
  const first = embeddings[0];
  if (!first) throw new RangeError('need at least one embedding');
  const sum = new Float64Array(first.length);
  for (const embedding of embeddings) {
    if (embedding.length !== first.length) throw new RangeError('embeddings differ in length');
    const e = l2Normalize(embedding);
    for (let i = 0; i < sum.length; i++) sum[i] = (sum[i] as number) + (e[i] as number);
  }
  return l2Normalize(sum);
}
