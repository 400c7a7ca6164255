import type { Page } from 'playwright-core';
import { AutomationSession, isAutomationError } from '../scripts/lib/automation';
import { launchChromium } from '../tests/browser/chromium';
import { startDevServer } from '../tests/browser/dev-server';
import { distance, recogniseFaces, type RecognisedFace } from '../tests/browser/face-recognition';
import { demoPairs, sampleBase64 } from '../tests/fixtures/samples';
import { pasteSourceFace } from './quality-paste';

/**
 * Swap quality on pairs of the demo photos (each target with the next photo's largest face as the
 * source), scored by a recogniser the engine does not use: face-api's FaceRecognitionNet and its
 * 68 landmarks. Per swapped face: identity transfer (d(target, source) - d(result, source)) /
 * d(target, source); landmark error between result and target over the target's inter-ocular
 * distance (pose and expression kept); faces the recogniser no longer finds. Per photo: the share
 * of pixels outside the blend region (the engine's touched mask) left byte for byte. Beside the
 * identity figures, a reference judged in the same run: the source's own face pasted whole
 * (quality-paste.ts), what the judge gives when no pose or light is kept. Prints JSON;
 * nothing is asserted.
 */
const pairs = demoPairs();

type Box = readonly number[];

function overlap(a: Box, b: Box): number {
  const x = Math.max(0, Math.min(a[0]! + a[2]!, b[0]! + b[2]!) - Math.max(a[0]!, b[0]!));
  const y = Math.max(0, Math.min(a[1]! + a[3]!, b[1]! + b[3]!) - Math.max(a[1]!, b[1]!));
  return (x * y) / Math.min(a[2]! * a[3]!, b[2]! * b[3]!);
}

/** The recognised face covering most of the box (at least half of the smaller), or null. */
function match(faces: RecognisedFace[], box: Box): RecognisedFace | null {
  const best = faces.reduce<RecognisedFace | null>(
    (a, f) => (!a || overlap(f.box, box) > overlap(a.box, box) ? f : a),
    null,
  );
  return best && overlap(best.box, box) >= 0.5 ? best : null;
}

const centre = (points: [number, number][]) => [
  points.reduce((s, p) => s + p[0], 0) / points.length,
  points.reduce((s, p) => s + p[1], 0) / points.length,
];

/** Mean landmark distance over the target's inter-ocular distance (iBUG eyes: 36-41, 42-47). */
function landmarkError(result: RecognisedFace, target: RecognisedFace): number {
  const [lx, ly] = centre(target.landmarks.slice(36, 42));
  const [rx, ry] = centre(target.landmarks.slice(42, 48));
  const ocular = Math.hypot(rx! - lx!, ry! - ly!);
  const mean =
    target.landmarks.reduce(
      (sum, [x, y], i) => sum + Math.hypot(result.landmarks[i]![0] - x, result.landmarks[i]![1] - y),
      0,
    ) / target.landmarks.length;
  return mean / ocular;
}

/** Share of the pixels outside the touched mask whose bytes equal the target's, decoded as the app does. */
function unchangedOutside(page: Page, target: string, output: string, touched: string): Promise<number> {
  return page.evaluate(
    async ({ target, output, touched }) => {
      // No named functions in here: tsx would wrap them in a helper the page does not have.
      const [a, b] = await Promise.all(
        [target, output].map(async (b64) => {
          const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
          const bitmap = await createImageBitmap(new Blob([bytes]), {
            imageOrientation: 'from-image',
            colorSpaceConversion: 'none',
            premultiplyAlpha: 'none',
          });
          const ctx = new OffscreenCanvas(bitmap.width, bitmap.height).getContext('2d')!;
          ctx.drawImage(bitmap, 0, 0);
          return ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
        }),
      );
      const mask = Uint8Array.from(atob(touched), (c) => c.charCodeAt(0));
      let outside = 0;
      let same = 0;
      for (let p = 0; p < mask.length; p++) {
        if (mask[p]) continue;
        outside++;
        if (a![p * 4] === b![p * 4] && a![p * 4 + 1] === b![p * 4 + 1] && a![p * 4 + 2] === b![p * 4 + 2])
          same++;
      }
      return same / outside;
    },
    { target, output, touched },
  );
}

const round = (v: number, digits = 3) => Math.round(v * 10 ** digits) / 10 ** digits;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

const session = await AutomationSession.start('wasm');
const dev = await startDevServer();
const browser = await launchChromium();
try {
  const judge = await browser.newPage();
  await judge.goto(`${dev.url}/tests/browser/kernels/frames.html`);
  const rows = [];
  for (const { source, target } of pairs) {
    const [sourceB64, targetB64] = [sampleBase64(source), sampleBase64(target)];
    const swapped = await session.swap({ source: sourceB64, target: targetB64, faces: 'all', format: 'png' });
    if (isAutomationError(swapped)) throw new Error(`${swapped.error.code}: ${swapped.error.message}`);
    const [sources, targets, results] = await recogniseFaces(judge, [sourceB64, targetB64, swapped.output]);
    const identity = match(sources!, swapped.sourceBoxes[swapped.sourceFace]!);
    const befores = swapped.targetBoxes.map((box) => match(targets!, box));
    const pastes = identity
      ? await Promise.all(
          befores.map((before) =>
            before ? pasteSourceFace(judge, sourceB64, targetB64, identity, before) : null,
          ),
        )
      : [];
    const recognised = await recogniseFaces(
      judge,
      pastes.filter((p) => p !== null),
    );
    const pasted = pastes.map((p) => (p === null ? null : recognised.shift()!));
    const faces = swapped.targetBoxes.map((box, i) => {
      const before = befores[i];
      const after = match(results!, box);
      if (!identity || !before) return { box: box.map(Math.round), scored: false };
      const paste = pasted[i] ? match(pasted[i]!, box) : null;
      if (!after) return { box: box.map(Math.round), scored: true, lost: true };
      const transfer = (face: RecognisedFace) => {
        const dBefore = distance(before.descriptor, identity.descriptor);
        return round((dBefore - distance(face.descriptor, identity.descriptor)) / dBefore);
      };
      return {
        box: box.map(Math.round),
        scored: true,
        lost: false,
        identityTransfer: transfer(after),
        identityTransferPasted: paste ? transfer(paste) : null,
        landmarkError: round(landmarkError(after, before)),
      };
    });
    rows.push({
      pair: `sample${source} -> sample${target}`,
      facesSwapped: swapped.facesSwapped,
      unchangedOutside: round(await unchangedOutside(judge, targetB64, swapped.output, swapped.touched), 5),
      faces,
    });
  }
  const scored = rows.flatMap((r) => r.faces).filter((f) => f.scored && !f.lost);
  const transfers = scored.map((f) => f.identityTransfer!);
  const pastedTransfers = scored.flatMap((f) =>
    f.identityTransferPasted == null ? [] : [f.identityTransferPasted],
  );
  const errors = scored.map((f) => f.landmarkError!);
  const report = {
    benchmark: 'swap-quality',
    engine: 'built-in, WASM',
    judge: 'face-api FaceRecognitionNet (128-d descriptors) and 68-point landmarks, SSD MobileNet detector',
    targets: { identityTransfer: '>= 0.45', landmarkError: '<= 0.08 of the inter-ocular distance', lost: 0 },
    reference:
      "identityTransferPasted: the source's own face pasted over the target face by a similarity fit of the landmarks, in an ellipse past them (quality-paste.ts); no pose, expression or light kept, so no swap",
    summary: {
      facesScored: scored.length,
      facesLost: rows.flatMap((r) => r.faces).filter((f) => f.lost).length,
      identityTransferMedian: round(median(transfers)),
      identityTransferMin: round(Math.min(...transfers)),
      identityTransferPastedMedian: round(median(pastedTransfers)),
      landmarkErrorMedian: round(median(errors)),
      landmarkErrorMax: round(Math.max(...errors)),
      unchangedOutsideMin: Math.min(...rows.map((r) => r.unchangedOutside)),
    },
    pairs: rows,
  };
  console.log(JSON.stringify(report, null, 2));
  const s = report.summary;
  console.log(
    `swap-quality: identity transfer median ${s.identityTransferMedian} (min ${s.identityTransferMin}; the source's face pasted whole: ${s.identityTransferPastedMedian}), landmark error median ${s.landmarkErrorMedian} (max ${s.landmarkErrorMax}), ${s.facesLost} lost of ${s.facesScored + s.facesLost}, unchanged outside >= ${s.unchangedOutsideMin}`,
  );
} finally {
  await browser.close();
  await dev.server.close();
  await session.close();
}
