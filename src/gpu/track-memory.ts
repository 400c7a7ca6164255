/** The most tracked faces whose state a swapper keeps; the least recently used is forgotten first. */
export const MAX_TRACKS = 16;

/**
 * Seconds of the exponential filter over a tracked face's tone statistics: a frame's statistics
 * count 1 - exp(-dt / TONE_TIME_S) of the smoothed ones, so a change of light is followed within
 * about a second while frame-to-frame noise (mesh jitter, a blink, a hand passing) is averaged out.
 */
export const TONE_TIME_S = 0.25;

/** The share of this frame's statistics for a frame `dtSeconds` after the last (1: start again). */
export function toneRate(dtSeconds: number): number {
  return dtSeconds > 0 && Number.isFinite(dtSeconds) ? 1 - Math.exp(-dtSeconds / TONE_TIME_S) : 1;
}

/** State per tracked face (by track id), the MAX_TRACKS most recently used; `drop` frees what goes. */
export class TrackMemory<T> {
  private readonly entries = new Map<number, T>();

  constructor(private readonly drop: (value: T) => void = () => undefined) {}

  get(id: number): T | undefined {
    const value = this.entries.get(id);
    if (value !== undefined) {
      this.entries.delete(id);
      this.entries.set(id, value);
    }
    return value;
  }

  set(id: number, value: T): void {
    const old = this.entries.get(id);
    if (old !== undefined && old !== value) this.drop(old);
    this.entries.delete(id);
    this.entries.set(id, value);
    for (const [oldest, evicted] of this.entries) {
      if (this.entries.size <= MAX_TRACKS) break;
      this.entries.delete(oldest);
      this.drop(evicted);
    }
  }

  clear(): void {
    for (const value of this.entries.values()) this.drop(value);
    this.entries.clear();
  }
}
