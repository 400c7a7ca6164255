import { invertAffine, type Affine } from '../../gpu/affine';

/** A similarity transform [a, -b, tx; b, a, ty] (scale, rotation, translation) and its inverse. */
export interface SimilarityTransform {
  matrix: Affine;
  inverse: Affine;
}

/**
 * Least-squares similarity transform from N >= 2 source points to N destination points (both
 * interleaved x0, y0, x1, y1, ...): the scale c, rotation R and translation t minimising
 * sum |dst_i - (c R src_i + t)|^2. This is what insightface's `estimate_norm` gets from
 * scikit-image's `SimilarityTransform.estimate` (Umeyama 1991, "Least-squares estimation of
 * transformation parameters between two point patterns").
 *
 * Umeyama takes the SVD U D V^T of the covariance S = mean((dst_i - mu_dst)(src_i - mu_src)^T),
 * sets R = U diag(1, sign) V^T with sign = -1 when det(S) < 0 (so R is a rotation, never a
 * reflection) and c = trace(D diag(1, sign)) / var(src). In 2D that SVD has a closed form: R is the
 * rotation by theta maximising trace(R^T S) = p cos(theta) + q sin(theta) with p = S00 + S11 and
 * q = S10 - S01, so (cos, sin) = (p, q) / hypot(p, q), and hypot(p, q) equals trace(D diag(1, sign))
 * (it is d1 + d2 when det(S) >= 0 and d1 - d2 when det(S) < 0). Hence c R = [p, -q; q, p] / var(src).
 */
export function estimateSimilarity(src: ArrayLike<number>, dst: ArrayLike<number>): SimilarityTransform {
  if (src.length !== dst.length || src.length % 2 !== 0 || src.length < 4) {
    throw new RangeError('need the same number (at least 2) of source and destination points');
  }
  const n = src.length / 2;
  let msx = 0;
  let msy = 0;
  let mdx = 0;
  let mdy = 0;
  for (let i = 0; i < n; i++) {
    msx += src[2 * i] as number;
    msy += src[2 * i + 1] as number;
    mdx += dst[2 * i] as number;
    mdy += dst[2 * i + 1] as number;
  }
  msx /= n;
  msy /= n;
  mdx /= n;
  mdy /= n;
  let variance = 0;
  let p = 0;
  let q = 0;
  for (let i = 0; i < n; i++) {
    const sx = (src[2 * i] as number) - msx;
    const sy = (src[2 * i + 1] as number) - msy;
    const dx = (dst[2 * i] as number) - mdx;
    const dy = (dst[2 * i + 1] as number) - mdy;
    variance += sx * sx + sy * sy;
    p += dx * sx + dy * sy;
    q += dy * sx - dx * sy;
  }
  if (variance === 0) throw new RangeError('source points all coincide');
  const a = p / variance;
  const b = q / variance;
  const matrix: Affine = [a, -b, mdx - (a * msx - b * msy), b, a, mdy - (b * msx + a * msy)];
  return { matrix, inverse: invertAffine(matrix) };
}

/**
 * insightface's ArcFace 5-point template for a 112x112 crop (`arcface_dst` in
 * insightface/utils/face_align.py): left eye, right eye, nose tip, left mouth corner, right mouth
 * corner, left and right as seen in the image.
 */
export const ARCFACE_TEMPLATE_112: readonly number[] = [
  38.2946, 51.6963, 73.5318, 51.5014, 56.0252, 71.7366, 41.5493, 92.3655, 70.7299, 92.2041,
];

/**
 * The ArcFace template for a square crop of `size` pixels, by insightface's `estimate_norm` rule:
 * for a multiple of 112, ratio = size / 112 and no shift; otherwise, for a multiple of 128 (the
 * 128-px inswapper, its 256/512 pixel-boost sizes), ratio = size / 128 and every x gains 8 * ratio.
 * At 128 this is the 112 template with x + 8, FaceFusion's `arcface_128` template times 128.
 */
export function arcfaceTemplate(size: number): Float64Array {
  let ratio: number;
  let shiftX: number;
  if (size > 0 && size % 112 === 0) {
    ratio = size / 112;
    shiftX = 0;
  } else if (size > 0 && size % 128 === 0) {
    ratio = size / 128;
    shiftX = 8 * ratio;
  } else {
    throw new RangeError(`ArcFace template size must be a multiple of 112 or 128, got ${size}`);
  }
  return Float64Array.from(ARCFACE_TEMPLATE_112, (v, i) => v * ratio + (i % 2 === 0 ? shiftX : 0));
}

/** Contour of the subject's right eye (the eye on the image's left) in the MediaPipe 468-point mesh. */
const MESH_RIGHT_EYE = [33, 246, 161, 160, 159, 158, 157, 173, 133, 155, 154, 153, 145, 144, 163, 7];
/** Contour of the subject's left eye (the eye on the image's right) in the MediaPipe 468-point mesh. */
const MESH_LEFT_EYE = [263, 466, 388, 387, 386, 385, 384, 398, 362, 382, 381, 380, 374, 373, 390, 249];
/** MediaPipe mesh nose tip. */
const MESH_NOSE_TIP = 1;
/** MediaPipe mesh mouth corners: 61 is the subject's right (image left), 291 the subject's left. */
const MESH_MOUTH_RIGHT = 61;
const MESH_MOUTH_LEFT = 291;

/**
 * The 5 alignment points from a MediaPipe 468-point face mesh given as x, y pairs in pixels, in
 * insightface's order (the order of `ARCFACE_TEMPLATE_112`), left and right as seen in the image of
 * a face looking at the camera: the image-left eye centre (the subject's right eye), the image-right
 * eye centre (the subject's left eye), the nose tip, the image-left mouth corner (the subject's
 * right) and the image-right mouth corner. Eye centres are the means of the eye contour points.
 */
export function fivePointsFromMesh(mesh: Float32Array): Float32Array {
  if (mesh.length < 468 * 2) throw new RangeError(`expected 468 mesh points, got ${mesh.length / 2}`);
  const point = (index: number): [number, number] => [
    mesh[2 * index] as number,
    mesh[2 * index + 1] as number,
  ];
  const centre = (indices: readonly number[]): [number, number] => {
    let x = 0;
    let y = 0;
    for (const index of indices) {
      x += mesh[2 * index] as number;
      y += mesh[2 * index + 1] as number;
    }
    return [x / indices.length, y / indices.length];
  };
  return Float32Array.from([
    ...centre(MESH_RIGHT_EYE),
    ...centre(MESH_LEFT_EYE),
    ...point(MESH_NOSE_TIP),
    ...point(MESH_MOUTH_RIGHT),
    ...point(MESH_MOUTH_LEFT),
  ]);
}
