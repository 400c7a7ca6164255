/** Types for gifenc (MIT, https://github.com/mattdesl/gifenc): the parts Doppel uses. */
declare module 'gifenc' {
  export type Palette = number[][];

  export interface FrameOptions {
    palette?: Palette;
    /** Milliseconds (stored in hundredths of a second). */
    delay?: number;
    /** -1: play once (no loop extension), 0: loop forever, n: n extra plays. First frame only. */
    repeat?: number;
    transparent?: boolean;
    dispose?: number;
  }

  export interface Encoder {
    writeFrame(index: Uint8Array, width: number, height: number, options?: FrameOptions): void;
    finish(): void;
    bytes(): Uint8Array;
    bytesView(): Uint8Array;
  }

  export function GIFEncoder(options?: { auto?: boolean; initialCapacity?: number }): Encoder;
  export function quantize(
    rgba: Uint8Array | Uint8ClampedArray,
    maxColors: number,
    options?: { format?: 'rgb565' | 'rgb444' | 'rgba4444' },
  ): Palette;
  export function applyPalette(
    rgba: Uint8Array | Uint8ClampedArray,
    palette: Palette,
    format?: 'rgb565' | 'rgb444' | 'rgba4444',
  ): Uint8Array;
}
