import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { AutomationSession, isAutomationError, type AutomationResult } from '../../scripts/lib/automation';
import { badInputs } from '../fixtures/bad-inputs';
import { makeCrowd, type FaceCrop } from '../fixtures/crowd';
import { sampleBase64 } from '../fixtures/samples';

/** People visible in each demo photo of @vladmandic/face-api (counted by eye). */
const peopleInSample: Record<number, number> = { 1: 3, 2: 3, 3: 3, 4: 4, 5: 5, 6: 4 };

let session: AutomationSession;

beforeAll(async () => {
  session = await AutomationSession.start('wasm');
});

afterAll(async () => {
  await session?.close();
});

async function analyze(b64: string) {
  const result = await session.analyze(b64);
  if (isAutomationError(result)) throw new Error(result.error.code);
  return result;
}

async function faceCount(b64: string): Promise<number> {
  return (await analyze(b64)).faces.length;
}

describe('face analysis on the demo photos (WASM)', () => {
  for (const [sample, people] of Object.entries(peopleInSample)) {
    test(`sample${sample}.jpg: finds ${people} faces`, async () => {
      expect(await faceCount(sampleBase64(Number(sample)))).toBe(people);
    });
  }
});

/** The gap between an eye's lids (mid upper to mid lower) over the distance between its corners. */
function lidGaps(mesh: number[]): [number, number] {
  const gap = (corners: [number, number], lids: [number, number]) => {
    const d = ([a, b]: [number, number]) =>
      Math.hypot(mesh[a * 2]! - mesh[b * 2]!, mesh[a * 2 + 1]! - mesh[b * 2 + 1]!);
    return d(lids) / d(corners);
  };
  return [gap([33, 133], [159, 145]), gap([263, 362], [386, 374])];
}

test('lowered lids are drawn lowered and open eyes open (the iris model refines the mesh)', async () => {
  const near = (faces: { box: number[]; mesh: number[] }[], x: number) =>
    faces.find((face) => Math.abs(face.box[0]! + face.box[2]! / 2 - x) < 60)!;
  // sample2: the woman on the right looks down with both lids lowered; the one in the middle has
  // her right eye lowered (her left is under her hair).
  const lowered = (await analyze(sampleBase64(2))).faces;
  const [rightWoman, middle] = [near(lowered, 1545), near(lowered, 985)];
  expect(Math.max(...lidGaps(rightWoman.mesh))).toBeLessThan(0.15);
  expect(lidGaps(middle.mesh)[0]).toBeLessThan(0.15);
  // sample3: three women looking at the camera.
  const open = (await analyze(sampleBase64(3))).faces;
  expect(open).toHaveLength(3);
  for (const face of open) expect(Math.min(...lidGaps(face.mesh))).toBeGreaterThan(0.25);
});

test('a crowd of 24 real faces, 40 to 120 px wide, rolled up to 45 degrees: every face is found', async () => {
  const crops: FaceCrop[] = [];
  for (const n of [1, 2, 3, 6]) {
    const image = sampleBase64(n);
    for (const face of (await analyze(image)).faces) crops.push({ image, box: face.box });
  }
  const crowd = await makeCrowd(session.page, crops, {
    columns: 6,
    rows: 4,
    cell: 240,
    minSize: 40,
    maxSize: 120,
    maxRotation: 45,
  });
  expect(crowd.cells.filter((c) => c.size === 40).length).toBe(4);
  expect(crowd.cells.filter((c) => Math.abs(c.rotationDeg) === 45).length).toBeGreaterThanOrEqual(6);
  const found = (await analyze(crowd.png)).faces;
  expect(found.length).toBe(24);
  for (const cell of crowd.cells) {
    const match = found.filter((f) => {
      const cx = f.box[0] + f.box[2] / 2;
      const cy = f.box[1] + f.box[3] / 2;
      return Math.abs(cx - cell.cx) < cell.size / 2 && Math.abs(cy - cell.cy) < cell.size / 2;
    });
    expect(match.length, `face at ${cell.cx},${cell.cy} (${cell.size} px, ${cell.rotationDeg} deg)`).toBe(1);
  }
});

type Box = [number, number, number, number];

/**
 * Compares the output with the target inside the page, decoding both with Chromium's own decoders,
 * against the swapped faces' boxes grown by a fifth on each side (not the engine's own idea of what
 * it touched): outside them every byte must equal the target's.
 */
async function compareWithTarget(result: AutomationResult, target: string, faces: Box[]) {
  return session.page.evaluate(
    async ({ output, target, faces }) => {
      const decode = async (b64: string) => {
        const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
        const bitmap = await createImageBitmap(new Blob([bytes]), {
          colorSpaceConversion: 'none',
          premultiplyAlpha: 'none',
        });
        const ctx = new OffscreenCanvas(bitmap.width, bitmap.height).getContext('2d', {
          willReadFrequently: true,
        });
        if (!ctx) throw new Error('no 2d context');
        ctx.drawImage(bitmap, 0, 0);
        return ctx.getImageData(0, 0, bitmap.width, bitmap.height);
      };
      const out = await decode(output);
      const tgt = await decode(target);
      const within = (x: number, y: number, grow: number) =>
        faces.some(([bx, by, bw, bh]) => {
          const gx = bw * grow;
          const gy = bh * grow;
          return x >= bx - gx && x < bx + bw + gx && y >= by - gy && y < by + bh + gy;
        });
      let outsideDiffer = 0;
      let inside = 0;
      let insideChanged = 0;
      for (let p = 0; p < out.width * out.height; p++) {
        let diff = 0;
        for (let c = 0; c < 4; c++)
          diff = Math.max(diff, Math.abs(out.data[p * 4 + c]! - tgt.data[p * 4 + c]!));
        const x = p % out.width;
        const y = Math.floor(p / out.width);
        if (within(x, y, 0)) {
          inside++;
          if (diff > 8) insideChanged++;
        } else if (!within(x, y, 0.2) && diff !== 0) outsideDiffer++;
      }
      return {
        width: out.width,
        height: out.height,
        tw: tgt.width,
        th: tgt.height,
        outsideDiffer,
        inside,
        insideChanged,
      };
    },
    { output: result.output, target, faces },
  );
}

describe('image swap (WASM + CPU reference kernels)', () => {
  test('swaps every target face, changes the face region and nothing outside the blend mask', async () => {
    const target = sampleBase64(1);
    const result = await session.swap({ source: sampleBase64(3), target, faces: 'all', format: 'png' });
    if (isAutomationError(result)) throw new Error(result.error.message);
    expect(result.facesFound.target).toBe(3);
    expect(result.facesSwapped).toBe(3);
    const cmp = await compareWithTarget(result, target, result.targetBoxes);
    expect([cmp.width, cmp.height]).toEqual([cmp.tw, cmp.th]);
    expect(cmp.outsideDiffer).toBe(0);
    expect(cmp.inside).toBeGreaterThan(3 * 40 * 40);
    expect(cmp.insideChanged / cmp.inside).toBeGreaterThan(0.3);
    const png = Buffer.from(result.output, 'base64');
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.includes('compositeWithTrainedAlgorithmicMedia')).toBe(true);
  });

  test('with the network cut after load, a swap still works and makes no request', async () => {
    const requests: string[] = [];
    const record = (request: { url: () => string }) => requests.push(request.url());
    session.page.on('request', record);
    await session.page.context().setOffline(true);
    try {
      const result = await session.swap({
        source: sampleBase64(2),
        target: sampleBase64(4),
        faces: 'all',
        format: 'png',
      });
      if (isAutomationError(result)) throw new Error(result.error.message);
      expect(result.facesSwapped).toBe(peopleInSample[4]);
    } finally {
      await session.page.context().setOffline(false);
      session.page.off('request', record);
    }
    expect(requests.filter((url) => !url.startsWith('blob:') && !url.startsWith('data:'))).toEqual([]);
  });

  test('only the chosen target faces change', async () => {
    const target = sampleBase64(1);
    const result = await session.swap({ source: sampleBase64(3), target, faces: [1], format: 'png' });
    if (isAutomationError(result)) throw new Error(result.error.message);
    expect(result.facesSwapped).toBe(1);
    const cmp = await compareWithTarget(result, target, [result.targetBoxes[1]!]);
    expect(cmp.outsideDiffer).toBe(0);
    expect(cmp.insideChanged).toBeGreaterThan(40 * 40);
    const jpeg = await session.swap({ source: sampleBase64(3), target, faces: [1], format: 'jpeg' });
    if (isAutomationError(jpeg)) throw new Error(jpeg.error.message);
    const bytes = Buffer.from(jpeg.output, 'base64');
    expect([bytes[0], bytes[1]]).toEqual([0xff, 0xd8]);
    expect(bytes.includes('compositeWithTrainedAlgorithmicMedia')).toBe(true);
  });
});

describe('bad input gives its documented error and the engine stays usable', () => {
  for (const bad of badInputs()) {
    test(bad.name, async () => {
      const asTarget = await session.swap({
        source: sampleBase64(4),
        target: bad.bytes.toString('base64'),
        faces: 'all',
        format: 'png',
      });
      expect(isAutomationError(asTarget) && asTarget.error.code).toBe(bad.code);
      expect(await faceCount(sampleBase64(6))).toBe(peopleInSample[6]);
    });
  }
});
