import { describe, expect, it } from 'vitest';
import { cropReference, type CropParams } from '../../src/gpu/reference/neural-crop';
import type { RgbaImage } from '../../src/gpu/types';
import {
  anchorCentres,
  decodeScrfd,
  iou,
  letterbox,
  letterboxCrop,
  nonMaxSuppression,
  scrfdFaces,
  type ScrfdFace,
} from '../../src/workers/neural/scrfd';

/** Zeroed SCRFD outputs for a size x size input: scores, boxes, keypoints for strides 8, 16, 32. */
function zeroOutputs(size: number): Float32Array[] {
  const anchors = [8, 16, 32].map((s) => (size / s) ** 2 * 2);
  return [
    ...anchors.map((n) => new Float32Array(n)),
    ...anchors.map((n) => new Float32Array(n * 4)),
    ...anchors.map((n) => new Float32Array(n * 10)),
  ];
}

/**
 * One strong anchor on the stride-16 head (outputs 1, 4, 7): cell row 1, col 2, second anchor,
 * so index (1 * cols + 2) * 2 + 1 and centre (32, 16).
 */
function withStrongAnchor(outputs: Float32Array[], cols: number): Float32Array[] {
  const index = (1 * cols + 2) * 2 + 1;
  outputs[1]![index] = 0.9;
  outputs[4]!.set([1, 0.5, 2, 1.5], index * 4);
  outputs[7]!.set([-0.5, -0.25, 0.5, -0.25, 0, 0.25, -0.25, 0.75, 0.25, 0.75], index * 10);
  return outputs;
}

// Centre (32, 16); distances x16 = (16, 8, 32, 24); keypoint offsets x16 added to the centre.
const expectedBox = [16, 8, 64, 40];
const expectedKeypoints = [24, 12, 40, 12, 32, 20, 28, 28, 36, 28];

/** An RGBA image from its bytes. */
const image = (width: number, height: number, bytes: readonly number[]): RgbaImage => ({
  width,
  height,
  data: Uint8ClampedArray.from(bytes),
});

/** The detector input crop of a size x size letterbox, as neural-swap's detectPoints asks for it. */
const letterboxCropOf = (photo: RgbaImage, size: number): CropParams =>
  letterboxCrop(photo.width, photo.height, size);

describe('SCRFD anchors', () => {
  it('puts two anchors per cell at (col * stride, row * stride), cells row-major', () => {
    expect(Array.from(anchorCentres(32, 16))).toEqual([
      0, 0, 0, 0, 16, 0, 16, 0, 0, 16, 0, 16, 16, 16, 16, 16,
    ]);
  });

  it('has 12800, 3200 and 800 anchors at 640', () => {
    expect([8, 16, 32].map((s) => anchorCentres(640, s).length / 2)).toEqual([12800, 3200, 800]);
  });
});

describe('SCRFD letterbox and input', () => {
  it('scales by min(640 / W, 640 / H) with the image at the top left', () => {
    expect(letterbox(1280, 720)).toEqual({ scale: 0.5, resizedWidth: 640, resizedHeight: 360 });
    expect(letterbox(320, 640)).toEqual({ scale: 1, resizedWidth: 320, resizedHeight: 640 });
    expect(letterbox(100, 50)).toEqual({ scale: 6.4, resizedWidth: 640, resizedHeight: 320 });
  });

  it('normalises RGBA bytes to planar RGB (x - 127.5) / 128 with zero padding below the image', () => {
    // 2x1 into 2x2: scale 1, pixel (0, 0) = (255, 0, 128), pixel (1, 0) = (0, 64, 255); alpha is
    // ignored; the bottom row is padding, 0 before normalisation.
    const photo = image(2, 1, [255, 0, 128, 7, 0, 64, 255, 255]);
    const pad = -127.5 / 128;
    expect(Array.from(cropReference(photo, letterboxCropOf(photo, 2)))).toEqual([
      0.99609375,
      -0.99609375,
      pad,
      pad,
      -0.99609375,
      -0.49609375,
      pad,
      pad,
      0.00390625,
      0.99609375,
      pad,
      pad,
    ]);
  });

  it('resizes by the letterbox scale (toImage = [1/s, 0, 0, 0, 1/s, 0]) and pads right and below', () => {
    // 4x2 into 2x2: s = 0.5, crop (x, y) reads pixel (2x, 2y); row 1 reads y = 2, off the image.
    const photo = image(4, 2, [
      ...[255, 0, 0, 0, 1, 1, 1, 0, 0, 255, 0, 0, 2, 2, 2, 0],
      ...[9, 9, 9, 0, 9, 9, 9, 0, 9, 9, 9, 0, 9, 9, 9, 0],
    ]);
    const pad = -127.5 / 128;
    expect(Array.from(cropReference(photo, letterboxCropOf(photo, 2)))).toEqual([
      0.99609375,
      -0.99609375,
      pad,
      pad,
      -0.99609375,
      0.99609375,
      pad,
      pad,
      -0.99609375,
      -0.99609375,
      pad,
      pad,
    ]);
    // 1x2 into 4x4: s = 2, crop column 1 is halfway between pixel 0 and the zero padding, columns 2
    // and 3 are padding; rows 0..3 read y = 0, 0.5, 1, 1.5.
    const tall = image(1, 2, [0, 0, 0, 0, 200, 200, 200, 0]);
    const red = cropReference(tall, letterboxCropOf(tall, 4)).subarray(0, 16);
    const v = (x: number) => (x - 127.5) / 128;
    expect(Array.from(red)).toEqual(
      [
        [0, 0, 0, 0],
        [100, 50, 0, 0],
        [200, 100, 0, 0],
        [100, 50, 0, 0],
      ]
        .flat()
        .map(v),
    );
  });
});

describe('SCRFD decoding', () => {
  it('returns the exact box and keypoints of one strong anchor and nothing below 0.5', () => {
    const outputs = withStrongAnchor(zeroOutputs(64), 4);
    outputs[0]![5] = 0.49;
    const faces = decodeScrfd(outputs, 64);
    expect(faces).toHaveLength(1);
    expect(faces[0]!.score).toBeCloseTo(0.9, 6);
    expect(faces[0]!.box).toEqual(expectedBox);
    expect(Array.from(faces[0]!.keypoints)).toEqual(expectedKeypoints);
  });

  it('maps back to image pixels by dividing by the letterbox scale', () => {
    const box = letterbox(1280, 720);
    const faces = scrfdFaces(withStrongAnchor(zeroOutputs(640), 40), box);
    expect(faces).toHaveLength(1);
    expect(faces[0]!.box).toEqual(expectedBox.map((v) => v * 2));
    expect(Array.from(faces[0]!.keypoints)).toEqual(expectedKeypoints.map((v) => v * 2));
  });

  it('rejects outputs of the wrong count or size', () => {
    expect(() => decodeScrfd(zeroOutputs(640).slice(0, 8))).toThrow(RangeError);
    expect(() => decodeScrfd(zeroOutputs(64))).toThrow(RangeError);
  });
});

describe('SCRFD NMS', () => {
  const face = (box: ScrfdFace['box'], score: number): ScrfdFace => ({
    box,
    score,
    keypoints: new Float32Array(10),
  });

  it('computes IoU', () => {
    expect(iou([0, 0, 2, 2], [1, 1, 3, 3])).toBeCloseTo(1 / 7, 12);
    expect(iou([0, 0, 1, 1], [2, 2, 3, 3])).toBe(0);
  });

  it('keeps the higher score of two overlapping boxes', () => {
    // IoU 90 / 110 > 0.4.
    const kept = nonMaxSuppression([face([0, 0, 10, 10], 0.8), face([1, 0, 11, 10], 0.9)]);
    expect(kept.map((f) => f.score)).toEqual([0.9]);
  });

  it('keeps both of two disjoint boxes, best first, and boxes at exactly IoU 0.4', () => {
    const disjoint = nonMaxSuppression([face([0, 0, 10, 10], 0.6), face([20, 20, 30, 30], 0.7)]);
    expect(disjoint.map((f) => f.score)).toEqual([0.7, 0.6]);
    // IoU 40 / 100 = 0.4 is not above the threshold.
    expect(nonMaxSuppression([face([0, 0, 10, 10], 0.9), face([0, 0, 10, 4], 0.8)])).toHaveLength(2);
  });
});
