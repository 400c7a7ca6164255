import type { Roi } from '../face-geometry';
import type { RgbaImage } from '../types';

/** Neighbour offsets in the order the GPU kernels use: left, right, up, down. */
const NEIGHBOURS: readonly (readonly [number, number])[] = [
  [-1, 0],
  [1, 0],
  [0, -1],
  [0, 1],
];

/**
 * Image coordinates of neighbour k of ROI pixel (x, y), clamped to the image (at the image border
 * a pixel is its own neighbour), and its ROI index (-1 when outside the ROI).
 */
function neighbour(
  target: RgbaImage,
  roi: Roi,
  x: number,
  y: number,
  k: number,
): { px: number; py: number; q: number } {
  const [dx, dy] = NEIGHBOURS[k]!;
  const px = Math.min(Math.max(roi.x + x + dx, 0), target.width - 1);
  const py = Math.min(Math.max(roi.y + y + dy, 0), target.height - 1);
  const qx = px - roi.x;
  const qy = py - roi.y;
  const q = qx >= 0 && qy >= 0 && qx < roi.width && qy < roi.height ? qy * roi.width + qx : -1;
  return { px, py, q };
}

/**
 * The constant part of the Jacobi update per ROI pixel (RGBA float32): rgb = the sum over the
 * 4 neighbours q of (g_p - g'_q) plus t_q for q outside the domain; a = bit k set when neighbour k
 * lies in the domain (alpha > 0). All zero outside the domain.
 */
export function poissonRhs(
  target: RgbaImage,
  roi: Roi,
  alpha: Float32Array,
  guide: Float32Array,
): Float32Array {
  const rhs = new Float32Array(roi.width * roi.height * 4);
  for (let y = 0; y < roi.height; y++) {
    for (let x = 0; x < roi.width; x++) {
      const i = y * roi.width + x;
      if (!(alpha[i]! > 0)) continue;
      let bits = 0;
      const sum = [0, 0, 0];
      for (let k = 0; k < 4; k++) {
        const { px, py, q } = neighbour(target, roi, x, y, k);
        const inDomain = q >= 0 && alpha[q]! > 0;
        if (inDomain) bits |= 1 << k;
        const t = (py * target.width + px) * 4;
        for (let c = 0; c < 3; c++) {
          const targetValue = target.data[t + c]! / 255;
          const guideQ = q >= 0 ? guide[q * 4 + c]! : targetValue;
          sum[c]! += guide[i * 4 + c]! - guideQ + (inDomain ? 0 : targetValue);
        }
      }
      rhs.set([sum[0]!, sum[1]!, sum[2]!, bits], i * 4);
    }
  }
  return rhs;
}

/**
 * Jacobi iterations of the Poisson equation with the target as Dirichlet boundary and the guide's
 * gradients as guidance field: f starts at the guide and, for p in the domain (alpha > 0),
 * f_p <- (rhs_p + sum of f over domain neighbours) / 4. Returns f (RGBA float32; meaningful on the
 * domain only).
 */
export function poissonSolve(
  target: RgbaImage,
  roi: Roi,
  alpha: Float32Array,
  rhs: Float32Array,
  guide: Float32Array,
  iterations: number,
): Float32Array {
  let size = 0;
  for (const a of alpha) if (a > 0) size++;
  const domain = new Int32Array(size);
  const links = new Int32Array(size * 4);
  let d = 0;
  for (let y = 0; y < roi.height; y++) {
    for (let x = 0; x < roi.width; x++) {
      const i = y * roi.width + x;
      if (!(alpha[i]! > 0)) continue;
      const bits = rhs[i * 4 + 3]!;
      for (let k = 0; k < 4; k++) links[d * 4 + k] = bits & (1 << k) ? neighbour(target, roi, x, y, k).q : -1;
      domain[d++] = i;
    }
  }
  let current = Float32Array.from(guide);
  let next = Float32Array.from(guide);
  for (let n = 0; n < iterations; n++) {
    for (let j = 0; j < size; j++) {
      const i = domain[j]! * 4;
      let r = rhs[i]!;
      let g = rhs[i + 1]!;
      let b = rhs[i + 2]!;
      for (let k = 0; k < 4; k++) {
        const q = links[j * 4 + k]!;
        if (q < 0) continue;
        r += current[q * 4]!;
        g += current[q * 4 + 1]!;
        b += current[q * 4 + 2]!;
      }
      next[i] = r / 4;
      next[i + 1] = g / 4;
      next[i + 2] = b / 4;
    }
    [current, next] = [next, current];
  }
  return current;
}
