/**
 * Telling when a worker has ended, however it ended: closed, terminated, or killed by the browser. A
 * dedicated worker that ends sends no event to its page; the Web Lock it holds is released instead.
 */
const announcement = 'doppelWorkerLife';

/** In a worker: holds a Web Lock for the rest of its life, then tells the page the lock's name. */
export function announceWorkerLife(page: { postMessage(message: unknown): void }): void {
  const name = `doppel-worker-${crypto.randomUUID()}`;
  void navigator.locks.request(name, () => {
    page.postMessage({ [announcement]: name });
    return new Promise<never>(() => undefined);
  });
}

/** In the page: calls `onEnd` once the worker (which called announceWorkerLife) has ended. */
export function watchWorkerLife(worker: Worker, onEnd: () => void): void {
  const listen = (event: MessageEvent) => {
    const name: unknown = (event.data as Record<string, unknown> | null)?.[announcement];
    if (typeof name !== 'string') return;
    worker.removeEventListener('message', listen);
    // Granted only once the worker's hold is released: when the worker is gone.
    void navigator.locks.request(name, onEnd);
  };
  worker.addEventListener('message', listen);
}
