import { throwIfAborted } from '../../shared/errors';

/** Holds a frame loop between frames while paused; an abort ends the wait with the abort error. */
export class PauseGate {
  private paused: { promise: Promise<void>; release: () => void } | null = null;

  get isPaused(): boolean {
    return this.paused !== null;
  }

  pause(): void {
    if (this.paused) return;
    let release = () => undefined as void;
    const promise = new Promise<void>((resolve) => (release = resolve));
    this.paused = { promise, release };
  }

  resume(): void {
    this.paused?.release();
    this.paused = null;
  }

  /** Resolves at once when running, else when resumed; rejects when the signal aborts. */
  async wait(signal: AbortSignal): Promise<void> {
    throwIfAborted(signal);
    const paused = this.paused;
    if (!paused) return;
    await new Promise<void>((resolve, reject) => {
      const onAbort = () =>
        reject(signal.reason instanceof Error ? signal.reason : new DOMException('', 'AbortError'));
      signal.addEventListener('abort', onAbort, { once: true });
      void paused.promise.then(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      });
    });
    throwIfAborted(signal);
  }
}
