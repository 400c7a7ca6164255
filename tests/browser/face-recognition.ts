import type { Page } from 'playwright-core';

export interface RecognisedFace {
  box: [number, number, number, number];
  descriptor: number[];
  /** face-api's 68 landmarks (iBUG layout), x, y in image pixels. */
  landmarks: [number, number][];
}

/**
 * Face recognition with face-api's FaceRecognitionNet (a ResNet-34 trained like dlib's, 128-d
 * descriptors; same person below about 0.6 Euclidean distance) and its SSD MobileNet detector,
 * both shipped in @vladmandic/face-api. Runs in the page, served by the Vite dev server.
 */
export async function recogniseFaces(page: Page, images: string[]): Promise<RecognisedFace[][]> {
  const base = '/node_modules/@vladmandic/face-api';
  await page.addScriptTag({ url: `${base}/dist/face-api.js` });
  return page.evaluate(
    async ({ images, base }) => {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const faceapi = (window as any).faceapi;
      await faceapi.tf.setBackend('cpu');
      await faceapi.tf.ready();
      await faceapi.nets.ssdMobilenetv1.loadFromUri(`${base}/model`);
      await faceapi.nets.faceLandmark68Net.loadFromUri(`${base}/model`);
      await faceapi.nets.faceRecognitionNet.loadFromUri(`${base}/model`);
      const results = [];
      for (const b64 of images) {
        const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
        const bitmap = await createImageBitmap(new Blob([bytes]));
        const canvas = document.createElement('canvas');
        canvas.width = bitmap.width;
        canvas.height = bitmap.height;
        canvas.getContext('2d')?.drawImage(bitmap, 0, 0);
        const found = await faceapi
          .detectAllFaces(canvas, new faceapi.SsdMobilenetv1Options({ minConfidence: 0.4 }))
          .withFaceLandmarks()
          .withFaceDescriptors();
        results.push(
          found.map(
            (f: {
              detection: { box: { x: number; y: number; width: number; height: number } };
              descriptor: Float32Array;
              landmarks: { positions: { x: number; y: number }[] };
            }) => ({
              box: [f.detection.box.x, f.detection.box.y, f.detection.box.width, f.detection.box.height] as [
                number,
                number,
                number,
                number,
              ],
              descriptor: Array.from(f.descriptor),
              landmarks: f.landmarks.positions.map((p) => [p.x, p.y] as [number, number]),
            }),
          ),
        );
      }
      return results;
    },
    { images, base },
  );
}

export function distance(a: number[], b: number[]): number {
  return Math.sqrt(a.reduce((sum, v, i) => sum + (v - (b[i] ?? 0)) ** 2, 0));
}

/** The face whose box centre is nearest to the given box's centre. */
export function nearest(faces: RecognisedFace[], box: readonly number[]): RecognisedFace {
  const cx = (box[0] ?? 0) + (box[2] ?? 0) / 2;
  const cy = (box[1] ?? 0) + (box[3] ?? 0) / 2;
  const d = (f: RecognisedFace) => Math.hypot(f.box[0] + f.box[2] / 2 - cx, f.box[1] + f.box[3] / 2 - cy);
  const best = faces.reduce<RecognisedFace | undefined>((a, f) => (!a || d(f) < d(a) ? f : a), undefined);
  if (!best) throw new Error('no face recognised');
  return best;
}
