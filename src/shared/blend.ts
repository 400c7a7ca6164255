/** How a swapped face is blended into the target (the user's options and the engine's tuning). */
export interface BlendOptions {
  /** 0 keeps the target, 1 applies the swapped face fully. */
  strength: number;
  /** Keep the target's mouth interior (inner-lip polygon). */
  keepMouth: boolean;
  /** Keep the target's eyes (eye contour polygons). */
  keepEyes: boolean;
  /** Width of the feathered edge of the oval mask as a fraction of the face's larger side. */
  feather: number;
  /**
   * Keep what covers the target's face (hair, glasses, hands, objects) in front of the swap: target
   * pixels inside the face that do not match the face's own skin are kept. On unless false.
   */
  occlusion?: boolean;
  /**
   * In video, GIF and live, smooth each followed face's colour statistics over its frames (an
   * exponential filter), so its tone does not flicker. On unless false.
   */
  smoothing?: boolean;
  /** Keep hands in front of the target's face (found by the hand models) in front of the swap. On unless false. */
  hands?: boolean;
}
