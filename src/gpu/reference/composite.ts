import type { Roi } from '../face-geometry';
import type { RgbaImage } from '../types';

/** A channel value in 0..1 to a byte, exactly as WGSL pack4x8unorm rounds it. */
export function quantise(value: number): number {
  return Math.floor(0.5 + 255 * Math.min(Math.max(value, 0), 1));
}

/**
 * Writes the blended face into `output` (in place) where the weight a = alpha x keep (float32; alpha
 * alone without `keep`) is > 0: out = t + (clamp(f, 0, 1) - t) * a * strength, alpha byte kept;
 * marks those pixels in `touched`. Pixels with weight 0 are not written.
 */
export function compositeFace(
  output: RgbaImage,
  touched: Uint8Array,
  roi: Roi,
  alpha: Float32Array,
  solution: Float32Array,
  strength: number,
  keep?: Float32Array,
): void {
  for (let y = 0; y < roi.height; y++) {
    for (let x = 0; x < roi.width; x++) {
      const i = y * roi.width + x;
      const a = keep ? Math.fround(alpha[i]! * keep[i]!) : alpha[i]!;
      if (!(a > 0)) continue;
      const p = (roi.y + y) * output.width + roi.x + x;
      for (let c = 0; c < 3; c++) {
        const t = output.data[p * 4 + c]! / 255;
        const f = Math.min(Math.max(solution[i * 4 + c]!, 0), 1);
        output.data[p * 4 + c] = quantise(t + (f - t) * a * strength);
      }
      touched[p] = 1;
    }
  }
}
