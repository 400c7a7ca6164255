import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { AutomationSession, isAutomationError } from './lib/automation';
import { writeExample } from './lib/gallery-example';
import { demoPairs, sampleBase64 } from '../tests/fixtures/samples';
import { installVideoFixtures, makeClip, oneFaceClip } from '../tests/fixtures/video';

/**
 * `npm run gallery [-- --out FILE --pairs N]`: the built-in engine's results at a glance, as one
 * PNG (default .cache/gallery.png). One row per pair of demo photos (each target with the next
 * photo's largest face as the source): source, target, result. Then three frames of the generated
 * test clip (one face moving across it) before and after. Cells are 320x240, letterboxed; the image
 * is 960 pixels wide and 240 per row.
 *
 * `npm run gallery -- --example FILE` writes only the start screen's compact before/after instead
 * (public/examples/before-after.webp in the repository; see writeExample).
 */
const { values } = parseArgs({
  options: {
    out: { type: 'string', default: '.cache/gallery.png' },
    pairs: { type: 'string', default: '6' },
    example: { type: 'string' },
  },
});
const pairCount = Math.min(6, Math.max(1, Number(values.pairs)));
const pairs = demoPairs(pairCount);
const clip = oneFaceClip('webm', 'vp9', 15);

if (values.example) {
  const session = await AutomationSession.start('wasm');
  try {
    const bytes = await writeExample(session, values.example);
    console.log(`gallery: ${values.example} (before and after, ${Math.round(bytes / 1024)} KB)`);
  } finally {
    await session.close();
  }
  process.exit(0);
}

const session = await AutomationSession.start('wasm');
try {
  const rows: string[][] = [];
  for (const { source, target } of pairs) {
    const [sourceB64, targetB64] = [sampleBase64(source), sampleBase64(target)];
    const swapped = await session.swap({ source: sourceB64, target: targetB64, faces: 'all', format: 'png' });
    if (isAutomationError(swapped)) throw new Error(`${swapped.error.code}: ${swapped.error.message}`);
    rows.push([sourceB64, targetB64, swapped.output]);
  }
  const { page } = session;
  await installVideoFixtures(page);
  await makeClip(page, 'gallery', clip.spec);
  const video = await page.evaluate(
    (source) =>
      window.doppel.swapVideo({
        source,
        video: window.doppelClips.gallery!,
        faces: 'all',
        container: 'webm',
        outputName: 'gallery.webm',
      }),
    sampleBase64(3),
  );
  if (isAutomationError(video)) throw new Error(`${video.error.code}: ${video.error.message}`);
  const png = await page.evaluate(
    async ({ rows, width, height }) => {
      const cell = { w: 320, h: 240 };
      const { data } = await window.doppel.readVideoOutput('gallery.webm');
      const output = new Blob([Uint8Array.from(atob(data), (c) => c.charCodeAt(0))]);
      const before = await window.doppelVideoFixtures.decodeFrames(window.doppelClips.gallery!);
      const after = await window.doppelVideoFixtures.decodeFrames(output);
      await window.doppel.removeVideoOutput('gallery.webm');
      const picks = [0, Math.floor(before.frames.length / 2), before.frames.length - 1];
      const canvas = new OffscreenCanvas(cell.w * 3, cell.h * (rows.length + 2));
      const ctx = canvas.getContext('2d')!;
      ctx.fillStyle = '#111';
      ctx.fillRect(0, 0, canvas.width, canvas.height);
      // No named functions in here: tsx would wrap them in a helper the page does not have.
      const images = await Promise.all(
        rows.flat().map(async (b64) =>
          createImageBitmap(new Blob([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))]), {
            imageOrientation: 'from-image',
          }),
        ),
      );
      const frames = await Promise.all(
        [...picks.map((i) => before.frames[i]!), ...picks.map((i) => after.frames[i]!)].map(async (b64) => {
          const rgba = new Uint8ClampedArray(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)));
          return createImageBitmap(new ImageData(rgba, width, height));
        }),
      );
      [...images, ...frames].forEach((image, i) => {
        const scale = Math.min(cell.w / image.width, cell.h / image.height);
        const [w, h] = [image.width * scale, image.height * scale];
        const [x, y] = [(i % 3) * cell.w + (cell.w - w) / 2, Math.floor(i / 3) * cell.h + (cell.h - h) / 2];
        ctx.drawImage(image, x, y, w, h);
      });
      ctx.font = '14px sans-serif';
      const labels: [string, number, number][] = [
        ...['source', 'target', 'result'].map((text, c): [string, number, number] => [text, c * cell.w, 0]),
        ['video, before', 0, rows.length * cell.h],
        ['video, after', 0, (rows.length + 1) * cell.h],
      ];
      for (const [text, x, y] of labels) {
        ctx.fillStyle = 'rgba(0, 0, 0, 0.6)';
        ctx.fillRect(x, y, ctx.measureText(text).width + 12, 24);
        ctx.fillStyle = '#fff';
        ctx.fillText(text, x + 6, y + 17);
      }
      const blob = await canvas.convertToBlob({ type: 'image/png' });
      const bytes = new Uint8Array(await blob.arrayBuffer());
      let s = '';
      for (let i = 0; i < bytes.length; i += 0x8000)
        s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      return btoa(s);
    },
    { rows, width: clip.spec.width, height: clip.spec.height },
  );
  mkdirSync(dirname(values.out), { recursive: true });
  writeFileSync(values.out, Buffer.from(png, 'base64'));
  console.log(`gallery: ${values.out} (${pairs.length} photo pair(s) and 3 video frames, before and after)`);
} finally {
  await session.close();
}
