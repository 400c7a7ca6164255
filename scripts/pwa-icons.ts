import type { Plugin } from 'vite';
import { encodePng } from './lib/png.ts';

/**
 * The app icon as PNG, drawn from the same shapes as public/icons/doppel.svg (a rounded accent square
 * with two overlapping white discs). The 'maskable' variant fills the whole square so the platform's
 * mask can cut any shape; the discs stay inside its safe zone (the central circle of 80% diameter).
 */

type Rgba = [number, number, number, number];

const accent: Rgba = [0x34, 0x51, 0xd1, 255];
const discs = [
  { cx: 208, cy: 256, r: 120, alpha: 0.5 },
  { cx: 304, cy: 256, r: 120, alpha: 1 },
];

/** Whether (x, y) in the 512-unit icon space lies inside a square of corner radius `rx`. */
function inRoundedSquare(x: number, y: number, rx: number): boolean {
  const dx = Math.max(rx - x, 0, x - (512 - rx));
  const dy = Math.max(rx - y, 0, y - (512 - rx));
  return dx * dx + dy * dy <= rx * rx;
}

/** Colour of one sample point (straight alpha). */
function sample(x: number, y: number, maskable: boolean): Rgba {
  if (x < 0 || y < 0 || x > 512 || y > 512 || !inRoundedSquare(x, y, maskable ? 0 : 112)) return [0, 0, 0, 0];
  let [r, g, b] = accent;
  for (const disc of discs) {
    if ((x - disc.cx) ** 2 + (y - disc.cy) ** 2 > disc.r ** 2) continue;
    r += (255 - r) * disc.alpha;
    g += (255 - g) * disc.alpha;
    b += (255 - b) * disc.alpha;
  }
  return [r, g, b, 255];
}

/** RGBA pixels of the icon at `size` px, 4x4 supersampled. */
function rasterize(size: number, maskable: boolean): Uint8Array {
  const pixels = new Uint8Array(size * size * 4);
  const n = 4;
  const scale = 512 / size;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const sum = [0, 0, 0, 0];
      for (let sy = 0; sy < n; sy++) {
        for (let sx = 0; sx < n; sx++) {
          const [r, g, b, a] = sample((px + (sx + 0.5) / n) * scale, (py + (sy + 0.5) / n) * scale, maskable);
          sum[0]! += r * a;
          sum[1]! += g * a;
          sum[2]! += b * a;
          sum[3]! += a;
        }
      }
      const o = (py * size + px) * 4;
      const alpha = sum[3]!;
      for (let c = 0; c < 3; c++) pixels[o + c] = alpha ? Math.round(sum[c]! / alpha) : 0;
      pixels[o + 3] = Math.round(alpha / (n * n));
    }
  }
  return pixels;
}

/** The PNG icons named in public/manifest.webmanifest: file name -> PNG bytes. */
export function appIcons(): Record<string, Buffer> {
  return {
    'icons/doppel-192.png': encodePng(192, 192, rasterize(192, false), 4),
    'icons/doppel-512.png': encodePng(512, 512, rasterize(512, false), 4),
    'icons/doppel-maskable-512.png': encodePng(512, 512, rasterize(512, true), 4),
  };
}

/** Emits the PNG icons into the build (the SVG icon is a static file in public/icons). */
export function pwaIcons(): Plugin {
  return {
    name: 'doppel-pwa-icons',
    apply: 'build',
    generateBundle() {
      if (this.environment.name !== 'client') return;
      for (const [fileName, source] of Object.entries(appIcons())) {
        this.emitFile({ type: 'asset', fileName, source });
      }
    },
  };
}
