/**
 * The measured limits as `npm run limits` writes them (src/app/limits/limits.json, and one picture
 * per limit in src/app/limits/pictures/): never typed by hand.
 */

export type LimitId =
  | 'smallest-face'
  | 'largest-roll'
  | 'largest-yaw'
  | 'occlusion'
  | 'most-faces'
  | 'largest-image'
  | 'longest-video';

export interface MeasuredLimit {
  id: LimitId;
  /** What is limited, in a few words ("Smallest face found"). */
  title: string;
  value: number;
  /** The value's unit as shown after it: "px", "°", "%", "faces", "MP", "s", "min". */
  unit: string;
  /** The figure in a sentence, with the step where it failed. */
  summary: string;
  /** How it was measured: the photo, the change, the sweep. */
  how: string;
  /** The picture's file name in src/app/limits/pictures/ (a JPEG). */
  picture: string;
  /** What the picture shows. */
  caption: string;
}

export interface LimitsData {
  /** When the sweeps ran (ISO 8601). */
  measured: string;
  /** The engine's backend and its reason ("wasm"). */
  backend: string;
  /** SHA-256 of the sources that determine the limits (scripts/lib/limits-fingerprint.ts). */
  fingerprint: string;
  /** How long the sweeps took, in seconds. */
  seconds: number;
  limits: MeasuredLimit[];
}
