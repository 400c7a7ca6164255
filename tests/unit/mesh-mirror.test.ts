import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { MESH_MIRROR } from '../../src/workers/engine/mesh-mirror';

/** MediaPipe's canonical UV map of the 468 points, as Human's source lists it (UV468). */
function uvMap(): [number, number][] {
  const text = readFileSync('node_modules/@vladmandic/human/src/face/facemeshcoords.ts', 'utf8');
  const list = /export const UV468[^=]*=\s*(\[[\s\S]*?\]);/.exec(text)?.[1];
  if (!list) throw new Error('UV468 not found in Human');
  return JSON.parse(list.replace(/,\s*\]$/, ']')) as [number, number][];
}

describe('the face mesh mirror table', () => {
  const UV468 = uvMap();

  it('pairs each point with the point nearest its mirror image in the canonical UV map', () => {
    const nearest = UV468.map(([u, v]) => {
      let best = -1;
      let bestDistance = Infinity;
      UV468.forEach(([u2, v2], j) => {
        const d = Math.hypot(1 - u - u2, v - v2);
        if (d < bestDistance) [best, bestDistance] = [j, d];
      });
      return best;
    });
    expect(MESH_MIRROR).toEqual(nearest);
  });

  it('is its own inverse, with the midline points mapped to themselves', () => {
    expect(MESH_MIRROR).toHaveLength(468);
    MESH_MIRROR.forEach((j, i) => expect(MESH_MIRROR[j]).toBe(i));
    // The nose tip (1) and the chin (152) are on the midline; the outer eye corners (33, 263) swap.
    expect([MESH_MIRROR[1], MESH_MIRROR[152], MESH_MIRROR[33]]).toEqual([1, 152, 263]);
  });
});
