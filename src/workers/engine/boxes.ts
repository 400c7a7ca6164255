/** A face box: x, y, width, height in pixels. */
export type Box = [number, number, number, number];

/** Intersection over union of two x, y, width, height boxes. */
export function iou(a: Readonly<Box>, b: Readonly<Box>): number {
  const x0 = Math.max(a[0], b[0]);
  const y0 = Math.max(a[1], b[1]);
  const x1 = Math.min(a[0] + a[2], b[0] + b[2]);
  const y1 = Math.min(a[1] + a[3], b[1] + b[3]);
  const inter = Math.max(0, x1 - x0) * Math.max(0, y1 - y0);
  return inter / (a[2] * a[3] + b[2] * b[3] - inter);
}
