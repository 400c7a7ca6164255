import { wearsGlasses } from './face-glasses';
import { CanvasFaceInput } from './face-input';
import { transfer } from 'comlink';
import type { RgbaImage } from '../../gpu/types';
import { DoppelError, throwIfAborted } from '../../shared/errors';
import { checkImageSize } from '../../shared/image-file';
import { newId } from '../../shared/ids';
import type { AnalysisFloors, AnalyzeResult, FaceInfo, ModelPasses, ProgressCallback } from './api';
import type { FaceDescriber } from './descriptors';
import type { DetectedFace, FaceAnalyzer } from './faces';
import { handOutline, keypointBox } from './hand-outline';
import { readPixels, thumbnail } from './pixels';

/** A photo as analysed when it was picked: its faces, its pixels and what finding them took. */
export interface LoadedImage {
  bitmap: ImageBitmap;
  faces: DetectedFace[];
  /** Outlines of the hands around the faces (handOutline), in image pixels. */
  hands: Float32Array[];
  pixels: RgbaImage;
  passes: ModelPasses;
}

/** The worker's analysed photos and swap results, by id, until the app releases them. */
export class PhotoStore {
  private readonly images = new Map<string, LoadedImage>();
  private readonly results = new Map<string, RgbaImage>();

  /** Finds the faces (and, unless told not to, the hands around them) and reads the pixels, once: every later swap reuses them. */
  async analyze(
    analyzer: FaceAnalyzer,
    image: ImageBitmap,
    signal: AbortSignal,
    onProgress?: ProgressCallback,
    findHands = true,
  ): Promise<AnalyzeResult> {
    try {
      checkImageSize(image.width, image.height);
    } catch (error) {
      image.close();
      throw error;
    }
    onProgress?.({ stage: 'detect', fraction: 0.1, message: 'Finding faces' });
    const started = performance.now();
    analyzer.takePasses();
    const input = new CanvasFaceInput(image);
    const detected = await analyzer.detect(input, signal);
    const handsStarted = performance.now();
    const found = findHands ? await analyzer.findHands(input, detected, signal) : [];
    const handsMs = performance.now() - handsStarted;
    const passes = analyzer.takePasses();
    const pixels = readPixels(image);
    throwIfAborted(signal);
    detected.sort((a, b) => a.box[0] - b.box[0] || a.box[1] - b.box[1]);
    const faces: FaceInfo[] = [];
    for (const [index, face] of detected.entries()) {
      faces.push({ index, ...face, thumbnail: await thumbnail(image, face.box) });
    }
    const imageId = newId('img');
    const hands = found.map((hand) => handOutline(hand.keypoints));
    this.images.set(imageId, { bitmap: image, faces: detected, hands, pixels, passes });
    onProgress?.({ stage: 'detect', fraction: 1, message: `Found ${faces.length} face(s)` });
    const result: AnalyzeResult = {
      imageId,
      width: image.width,
      height: image.height,
      faces,
      hands: found.map((hand) => ({
        box: keypointBox(hand.keypoints),
        keypoints: [...hand.keypoints],
        score: hand.score,
      })),
      ms: { detect: performance.now() - started - handsMs, hands: handsMs },
      passes,
    };
    return transfer(
      result,
      faces.map((f) => f.thumbnail),
    );
  }

  loaded(id: string): LoadedImage {
    const image = this.images.get(id);
    if (!image) throw new DoppelError('IMAGE_NOT_LOADED');
    return image;
  }

  /** Whether each source face wears glasses: found once per face, however many frames it is swapped into. */
  private readonly glasses = new WeakMap<DetectedFace, boolean>();

  sourceFace(id: string, index: number): LoadedImage & { face: DetectedFace; glasses: boolean } {
    const image = this.loaded(id);
    const face = image.faces[index];
    if (!face)
      throw new DoppelError(
        'NO_FACE_FOUND',
        'No face was found in the source photo. Choose a photo with a clearly visible face.',
      );
    let glasses = this.glasses.get(face);
    if (glasses === undefined) {
      glasses = wearsGlasses(image.pixels, face.mesh);
      this.glasses.set(face, glasses);
    }
    return { ...image, face, glasses };
  }

  /** Faces' descriptors, found once per face, when a swap by likeness first asks. */
  private readonly descriptors = new WeakMap<DetectedFace, Float32Array>();

  /** The descriptors of an analysed photo's faces (all of them, or those at `indices`), in order. */
  async describe(describer: FaceDescriber, id: string, indices?: readonly number[]): Promise<Float32Array[]> {
    const image = this.loaded(id);
    const faces = (indices ?? image.faces.map((_, i) => i)).map((i) => {
      const face = image.faces[i];
      if (!face)
        throw new DoppelError('NO_FACE_SELECTED', `The reference photo has no face number ${i + 1}.`);
      return face;
    });
    const missing = faces.filter((face) => !this.descriptors.has(face));
    const found = await describer.describe(new CanvasFaceInput(image.bitmap), missing);
    missing.forEach((face, i) => this.descriptors.set(face, found[i]!));
    return faces.map((face) => this.descriptors.get(face)!);
  }

  addResult(image: RgbaImage): string {
    const resultId = newId('res');
    this.results.set(resultId, image);
    return resultId;
  }

  result(id: string): RgbaImage {
    const image = this.results.get(id);
    if (!image)
      throw new DoppelError('IMAGE_NOT_LOADED', 'This result is no longer available. Press Swap again.');
    return image;
  }

  /** The benchmark's floors for an analysed photo: its models alone, and one copy of its pixels (median of 5). */
  async floors(analyzer: FaceAnalyzer, imageId: string): Promise<AnalysisFloors> {
    const image = this.loaded(imageId);
    const models = await analyzer.modelFloor(image.passes, image.faces.length);
    const copies = Array.from({ length: 5 }, () => {
      const started = performance.now();
      image.pixels.data.slice();
      return performance.now() - started;
    }).sort((a, b) => a - b);
    return { ...models, copy: copies[2]! };
  }

  release(id: string): void {
    this.images.get(id)?.bitmap.close();
    this.images.delete(id);
    this.results.delete(id);
  }
}
