import { describe, expect, it } from 'vitest';
import { IDENTITY_SHAPE, identityShape, similarity } from '../../src/gpu/identity-shape';
import { gridFace, gridTopology, turnedGridFace } from '../browser/kernels/synthetic-face';

const n = 8;
const topology = gridTopology(n);
const index = (col: number, row: number) => row * (n + 1) + col;

/** The points moved by scale, rotation (radians) and translation. */
function moved(points: Float32Array, scale: number, angle: number, dx: number, dy: number): Float32Array {
  const out = new Float32Array(points.length);
  for (let i = 0; i < points.length; i += 2) {
    const [x, y] = [points[i]!, points[i + 1]!];
    out[i] = scale * (Math.cos(angle) * x - Math.sin(angle) * y) + dx;
    out[i + 1] = scale * (Math.sin(angle) * x + Math.cos(angle) * y) + dy;
  }
  return out;
}

describe('the identity shape (the source face proportions in the target pose)', () => {
  it('fits the similarity between two meshes', () => {
    const from = gridFace(n, 40, 40, 20, 24);
    const to = moved(from, 1.7, 0.4, 12, -5);
    const map = similarity(from, to);
    for (let i = 0; i < from.length; i += 2) {
      const [x, y] = map(from[i]!, from[i + 1]!);
      expect(x).toBeCloseTo(to[i]!, 3);
      expect(y).toBeCloseTo(to[i + 1]!, 3);
    }
  });

  it('leaves the target as it is when the source has its shape at another place, size and roll', () => {
    const target = gridFace(n, 60, 54, 34, 40, 0.1);
    const source = moved(target, 0.6, -0.5, 30, 80);
    const shaped = identityShape({ source, target }, topology);
    shaped.forEach((v, i) => expect(v).toBeCloseTo(target[i]!, 2));
  });

  it('moves inner points towards the source proportions, and not the outline, eyes or mouth', () => {
    const target = gridFace(n, 60, 54, 34, 40);
    const source = Float32Array.from(target);
    // The source's nose (the middle of the grid) is 6 px lower.
    const nose = index(n / 2, n / 2 - 1);
    source[nose * 2 + 1] = target[nose * 2 + 1]! + 6;
    const shaped = identityShape({ source, target }, topology);
    // The fitted similarity barely moves with one point of 81 changed.
    expect(shaped[nose * 2 + 1]! - target[nose * 2 + 1]!).toBeGreaterThan(IDENTITY_SHAPE * 6 * 0.85);
    expect(shaped[nose * 2 + 1]! - target[nose * 2 + 1]!).toBeLessThan(IDENTITY_SHAPE * 6 * 1.01);
    const pinned = [...topology.oval, ...topology.leftEye, ...topology.rightEye, ...topology.mouth];
    for (const i of pinned) {
      expect(shaped[i * 2]).toBe(target[i * 2]);
      expect(shaped[i * 2 + 1]).toBe(target[i * 2 + 1]);
    }
  });

  it('does not take a source turned to one side for a narrower half face', () => {
    const target = gridFace(n, 60, 54, 34, 40);
    const source = turnedGridFace(n, 60, 54, 34, 40, 0.4);
    const shaped = identityShape({ source, target }, topology);
    let moved = 0;
    for (let row = 1; row < n; row++) {
      const i = index(n / 2, row);
      // The midline stays on the target's midline ...
      expect(Math.abs(shaped[i * 2]! - target[i * 2]!)).toBeLessThan(1e-3);
      moved = Math.max(moved, Math.abs(shaped[i * 2 + 1]! - target[i * 2 + 1]!));
    }
    // ... while the narrower source still moves points along it.
    expect(moved).toBeGreaterThan(0);
  });
});
