import type { Page } from 'playwright-core';
import type { RecognisedFace } from '../tests/browser/face-recognition';

/** How far the pasted ellipse reaches past the target's 68 landmarks (a fraction of their box), and its soft edge. */
const GROW = 0.1;
const EDGE = 0.04;

/**
 * A reference for the identity figures, judged in the same run by the same recogniser: the source's
 * own face pasted over one target face, moved by the similarity (scale, rotation, shift) that best
 * fits the source's 68 landmarks onto the target's, inside an ellipse around the target's landmarks
 * grown by GROW (brows to chin, cheek to cheek, the lower forehead), with a soft edge. Nothing is
 * warped to the target's pose or expression, no colour is matched and nothing is blended, so it is
 * no swap: it shows how far the judge's descriptor moves when the source's own pixels replace the
 * face. Returns the composed photo as base64 PNG.
 */
export function pasteSourceFace(
  page: Page,
  sourceB64: string,
  targetB64: string,
  source: RecognisedFace,
  target: RecognisedFace,
): Promise<string> {
  return page.evaluate(
    // No named functions in here: tsx would wrap them in a helper the page does not have.
    async ({ sourceB64, targetB64, from, to, grow, edge }) => {
      const [image, photo] = await Promise.all(
        [sourceB64, targetB64].map((b64) =>
          createImageBitmap(new Blob([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))])),
        ),
      );
      const n = from.length;
      let [fx, fy, tx, ty] = [0, 0, 0, 0];
      for (let i = 0; i < n; i++) {
        [fx, fy, tx, ty] = [fx + from[i]![0], fy + from[i]![1], tx + to[i]![0], ty + to[i]![1]];
      }
      [fx, fy, tx, ty] = [fx / n, fy / n, tx / n, ty / n];
      let [a, b, norm] = [0, 0, 0];
      for (let i = 0; i < n; i++) {
        const [px, py, qx, qy] = [from[i]![0] - fx, from[i]![1] - fy, to[i]![0] - tx, to[i]![1] - ty];
        [a, b, norm] = [a + px * qx + py * qy, b + px * qy - py * qx, norm + px * px + py * py];
      }
      [a, b] = [a / norm, b / norm];
      const { width, height } = photo!;
      const face = new OffscreenCanvas(width, height);
      const fc = face.getContext('2d')!;
      fc.setTransform(a, b, -b, a, tx - a * fx + b * fy, ty - b * fx - a * fy);
      fc.drawImage(image!, 0, 0);
      fc.setTransform(1, 0, 0, 1, 0, 0);
      const xs = to.map((p) => p[0]);
      const ys = to.map((p) => p[1]);
      const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
      const size = Math.max(x1 - x0, y1 - y0);
      const mask = new OffscreenCanvas(width, height);
      const mc = mask.getContext('2d')!;
      mc.filter = `blur(${size * edge}px)`;
      mc.fillStyle = '#fff';
      mc.beginPath();
      mc.ellipse(
        (x0 + x1) / 2,
        (y0 + y1) / 2 - (size * grow) / 2,
        ((x1 - x0) / 2) * (1 + grow),
        ((y1 - y0) / 2) * (1 + 2 * grow),
        0,
        0,
        2 * Math.PI,
      );
      mc.fill();
      fc.globalCompositeOperation = 'destination-in';
      fc.drawImage(mask, 0, 0);
      const out = new OffscreenCanvas(width, height);
      const oc = out.getContext('2d')!;
      oc.drawImage(photo!, 0, 0);
      oc.drawImage(face, 0, 0);
      const bytes = new Uint8Array(await (await out.convertToBlob({ type: 'image/png' })).arrayBuffer());
      let text = '';
      for (const byte of bytes) text += String.fromCharCode(byte);
      return btoa(text);
    },
    { sourceB64, targetB64, from: source.landmarks, to: target.landmarks, grow: GROW, edge: EDGE },
  );
}
