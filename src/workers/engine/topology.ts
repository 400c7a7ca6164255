import type { MeshTopology } from '../../gpu/types';
import { MESH_MIRROR } from './mesh-mirror';

/** MediaPipe FaceMesh (468 points) contours: the face oval, inner and outer lips, eye outlines; skin points. */
const oval = [
  10, 338, 297, 332, 284, 251, 389, 356, 454, 323, 361, 288, 397, 365, 379, 378, 400, 377, 152, 148, 176, 149,
  150, 136, 172, 58, 132, 93, 234, 127, 162, 21, 54, 103, 67, 109,
];
const mouth = [78, 191, 80, 81, 82, 13, 312, 311, 310, 415, 308, 324, 318, 402, 317, 14, 87, 178, 88, 95];
const rightEye = [33, 246, 161, 160, 159, 158, 157, 173, 133, 155, 154, 153, 145, 144, 163, 7];
const leftEye = [263, 466, 388, 387, 386, 385, 384, 398, 362, 382, 381, 380, 374, 373, 390, 249];
const lips = [61, 185, 40, 39, 37, 0, 267, 269, 270, 409, 291, 375, 321, 405, 314, 17, 84, 181, 91, 146];
/** Skin sample points: forehead, between the brows, nose bridge, both cheeks, chin. */
const skin = [
  151, 108, 337, 9, 8, 197, 195, 5, 50, 280, 117, 346, 123, 352, 205, 425, 187, 411, 101, 330, 36, 266, 199,
  175,
];

/** The mesh topology of the 468-point face mesh; triangles come from the Human library's table. */
export function faceMeshTopology(triangulation: readonly number[]): MeshTopology {
  return {
    triangles: Uint32Array.from(triangulation),
    oval,
    mouth,
    leftEye,
    rightEye,
    lips,
    skin,
    mirror: MESH_MIRROR,
  };
}
