import { describe, expect, test } from 'vitest';
import { detectorTiles } from '../../src/workers/engine/face-detector';
import { cropFromMesh } from '../../src/workers/engine/face-mesh';

function covered(tiles: ReturnType<typeof detectorTiles>, side: number, x: number, y: number, face: number) {
  return tiles.some(
    (t) => t.side === side && t.x <= x && t.y <= y && x + face <= t.x + t.side && y + face <= t.y + t.side,
  );
}

describe('detectorTiles', () => {
  test('an image at or under tileAbove is seen whole, once', () => {
    expect(detectorTiles(640, 480, 640, 512)).toEqual([{ x: 0, y: 0, side: 640 }]);
  });

  test('1920x1280: the whole image, then 512-px tiles in which every face up to 128 px lies whole', () => {
    const tiles = detectorTiles(1920, 1280, 640, 512);
    expect(tiles[0]).toEqual({ x: 0, y: 0, side: 1920 });
    const fine = tiles.slice(1);
    expect(fine.length).toBe(15);
    for (const t of fine) {
      expect(t.side).toBe(512);
      expect(t.x + t.side).toBeLessThanOrEqual(1920);
      expect(t.y + t.side).toBeLessThanOrEqual(1280);
    }
    for (let y = 0; y + 128 <= 1280; y += 37)
      for (let x = 0; x + 128 <= 1920; x += 41) expect(covered(tiles, 512, x, y, 128)).toBe(true);
  });

  test('a wide panorama gets a middle scale between the whole image and the finest tiles', () => {
    const sides = new Set(detectorTiles(6000, 1000, 640, 512).map((t) => t.side));
    expect([...sides].sort((a, b) => a - b)).toEqual([512, 1536, 6000]);
  });
});

describe('cropFromMesh', () => {
  test('a square turned by 30 degrees: its centre, its turn and 1.5 times its side', () => {
    const angle = Math.PI / 6;
    const points: number[] = [];
    for (const [u, v] of [
      [-40, -40],
      [40, -40],
      [40, 40],
      [-40, 40],
    ] as const)
      points.push(
        200 + Math.cos(angle) * u - Math.sin(angle) * v,
        100 + Math.sin(angle) * u + Math.cos(angle) * v,
      );
    // The eye corners (33, 263) run along the square's top edge.
    const mesh = new Float32Array(468 * 2);
    for (let i = 0; i < 468; i++) mesh.set(points.slice((i % 4) * 2, (i % 4) * 2 + 2), i * 2);
    mesh.set(points.slice(0, 2), 33 * 2);
    mesh.set(points.slice(2, 4), 263 * 2);
    const crop = cropFromMesh(mesh);
    expect(crop.cx).toBeCloseTo(200, 3);
    expect(crop.cy).toBeCloseTo(100, 3);
    expect(crop.angle).toBeCloseTo(angle, 5);
    expect(crop.side).toBeCloseTo(120, 3);
  });
});
