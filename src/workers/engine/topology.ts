import type { MeshTopology } from '../../gpu/types';

/** MediaPipe FaceMesh (468 points) contours: the face oval, inner lips and eye outlines. */
const oval = [
  10, 338, 297, 332, 284, 251, 389, 356, 454, 323, 361, 288, 397, 365, 379, 378, 400, 377, 152, 148, 176, 149,
  150, 136, 172, 58, 132, 93, 234, 127, 162, 21, 54, 103, 67, 109,
];
const mouth = [78, 191, 80, 81, 82, 13, 312, 311, 310, 415, 308, 324, 318, 402, 317, 14, 87, 178, 88, 95];
const rightEye = [33, 246, 161, 160, 159, 158, 157, 173, 133, 155, 154, 153, 145, 144, 163, 7];
const leftEye = [263, 466, 388, 387, 386, 385, 384, 398, 362, 382, 381, 380, 374, 373, 390, 249];

/** The mesh topology of the 468-point face mesh; triangles come from the Human library's table. */
export function faceMeshTopology(triangulation: readonly number[]): MeshTopology {
  return { triangles: Uint32Array.from(triangulation), oval, mouth, leftEye, rightEye };
}
