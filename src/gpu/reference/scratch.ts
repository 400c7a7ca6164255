/**
 * Typed arrays kept between calls and grown to the largest length asked for, so that a caller that
 * runs per frame allocates once. A view's contents are whatever its last user left: callers write
 * every element they later read.
 */
export class Scratch {
  private readonly floats = new Map<string, Float32Array>();
  private readonly bytes = new Map<string, Uint8Array>();

  float32(key: string, length: number): Float32Array {
    return view(this.floats, key, length, (n) => new Float32Array(n));
  }

  uint8(key: string, length: number): Uint8Array {
    return view(this.bytes, key, length, (n) => new Uint8Array(n));
  }
}

function view<T extends Float32Array | Uint8Array>(
  arrays: Map<string, T>,
  key: string,
  length: number,
  create: (length: number) => T,
): T {
  let array = arrays.get(key);
  if (!array || array.length < length) {
    array = create(length);
    arrays.set(key, array);
  }
  return array.subarray(0, length) as T;
}
