/**
 * The coefficients of Abramowitz & Stegun 7.1.26: erf(x) = 1 - (a1 t + ... + a5 t^5) exp(-x^2)
 * with t = 1 / (1 + p x) for x >= 0, |error| < 1.5e-7. The WGSL erf (kernels/neural-paste.wgsl.ts)
 * is built from these same numbers so the GPU and the reference evaluate one formula.
 */
export const ERF_P = 0.3275911;
export const ERF_A = [0.254829592, -0.284496736, 1.421413741, -1.453152027, 1.061405429] as const;

/** The error function by A&S 7.1.26, extended to x < 0 by oddness. */
export function erf(x: number): number {
  const ax = Math.abs(x);
  const t = 1 / (1 + ERF_P * ax);
  const [a1, a2, a3, a4, a5] = ERF_A;
  const poly = t * (a1 + t * (a2 + t * (a3 + t * (a4 + t * a5))));
  const y = 1 - poly * Math.exp(-ax * ax);
  return x < 0 ? -y : y;
}
