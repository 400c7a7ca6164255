import { describe, expect, it } from 'vitest';
import { GifWriter } from '../../src/workers/animation/gif-encode';

async function encode(repetitionCount: number, delays: number[]): Promise<Uint8Array> {
  const writer = new GifWriter(repetitionCount);
  for (const [i, delay] of delays.entries()) {
    const data = new Uint8ClampedArray(8 * 6 * 4).fill(40 * i);
    writer.add({ width: 8, height: 6, data }, delay);
  }
  return new Uint8Array(await writer.finish().arrayBuffer());
}

/** The NETSCAPE2.0 loop count, or null when the file has no loop extension (plays once). */
function loopCount(bytes: Uint8Array): number | null {
  const at = Buffer.from(bytes).indexOf('NETSCAPE2.0');
  return at < 0 ? null : bytes[at + 13]! | (bytes[at + 14]! << 8);
}

/** Each frame's delay in milliseconds, from the graphic control extensions. */
function delays(bytes: Uint8Array): number[] {
  const found: number[] = [];
  for (let i = 0; i + 5 < bytes.length; i++) {
    if (bytes[i] === 0x21 && bytes[i + 1] === 0xf9 && bytes[i + 2] === 4)
      found.push((bytes[i + 4]! | (bytes[i + 5]! << 8)) * 10);
  }
  return found;
}

describe('GIF writer', () => {
  it('keeps each frame and its delay', async () => {
    const bytes = await encode(3, [80, 120, 200]);
    expect(Buffer.from(bytes.subarray(0, 6)).toString()).toBe('GIF89a');
    expect(delays(bytes)).toEqual([80, 120, 200]);
  });

  it('keeps the loop count: forever, n extra plays, or once', async () => {
    expect(loopCount(await encode(Infinity, [100]))).toBe(0);
    expect(loopCount(await encode(3, [100]))).toBe(3);
    expect(loopCount(await encode(0, [100]))).toBeNull();
  });
});
