/**
 * A 2x3 affine matrix in row-major order [m00, m01, m02, m10, m11, m12]: it maps (x, y) to
 * (m00 x + m01 y + m02, m10 x + m11 y + m12). This is the layout of OpenCV's `warpAffine` matrices,
 * which insightface and FaceFusion pass around.
 */
export type Affine = readonly [number, number, number, number, number, number];

/** The inverse of an invertible affine map. */
export function invertAffine(m: Affine): Affine {
  const [a, b, c, d, e, f] = m;
  const det = a * e - b * d;
  if (det === 0) throw new RangeError('affine matrix is singular');
  return [e / det, -b / det, (b * f - c * e) / det, -d / det, a / det, (c * d - a * f) / det];
}

/** Maps interleaved points x0, y0, x1, y1, ... through an affine matrix. */
export function applyAffine(m: Affine, points: ArrayLike<number>): Float64Array {
  const out = new Float64Array(points.length);
  for (let i = 0; i + 1 < points.length; i += 2) {
    const x = points[i] as number;
    const y = points[i + 1] as number;
    out[i] = m[0] * x + m[1] * y + m[2];
    out[i + 1] = m[3] * x + m[4] * y + m[5];
  }
  return out;
}

/** The affine map `outer` after `inner`: x -> outer(inner(x)). */
export function composeAffine(outer: Affine, inner: Affine): Affine {
  const [a, b, c, d, e, f] = outer;
  const [p, q, r, s, t, u] = inner;
  return [a * p + b * s, a * q + b * t, a * r + b * u + c, d * p + e * s, d * q + e * t, d * r + e * u + f];
}
