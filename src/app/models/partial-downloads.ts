/**
 * What interrupted model downloads (Cancel, a dropped connection) received so far, kept in memory for
 * the page's lifetime, so that the next download of the same file asks only for the rest with an HTTP
 * range request (`Range: bytes=N-`, `If-Range: <validator>`).
 */

export interface PartialDownload {
  /** The body chunks received, in order. */
  chunks: Uint8Array[];
  /** Their total size: the next range starts here. */
  received: number;
  /** Validators of the response the chunks came from: a resumed range must come from the same file. */
  etag: string | null;
  lastModified: string | null;
}

const partials = new Map<string, PartialDownload>();

/** Bytes kept for a file URL (0 when none). */
export const partialBytes = (url: string): number => partials.get(url)?.received ?? 0;

/** Keeps what a download received, when it received anything and can be resumed (it has a validator). */
export function keepPartial(url: string, partial: PartialDownload): void {
  if (partial.received > 0 && (partial.etag !== null || partial.lastModified !== null)) {
    partials.set(url, partial);
  } else {
    partials.delete(url);
  }
}

/** Removes and returns what is kept for a file URL. */
export function takePartial(url: string): PartialDownload | undefined {
  const partial = partials.get(url);
  partials.delete(url);
  return partial;
}

export function dropPartial(url: string): void {
  partials.delete(url);
}

/**
 * A new, empty partial download with the validators of the response that starts it. A compressed
 * body gets none, so it is not kept: its ranges would count bytes of the compressed representation.
 */
export function startPartial(response: Response): PartialDownload {
  const encoding = response.headers.get('content-encoding');
  const identity = !encoding || encoding === 'identity';
  return {
    chunks: [],
    received: 0,
    etag: identity ? response.headers.get('etag') : null,
    lastModified: identity ? response.headers.get('last-modified') : null,
  };
}

/**
 * Headers that ask for the rest of a file. If-Range carries a strong ETag, else Last-Modified (a weak
 * ETag may not be used there), so that a server whose file changed sends the whole new file (200).
 */
export function rangeHeaders(partial: PartialDownload): Headers {
  const headers = new Headers({ range: `bytes=${partial.received}-` });
  const strongEtag = partial.etag && !partial.etag.startsWith('W/') ? partial.etag : null;
  const validator = strongEtag ?? partial.lastModified;
  if (validator) headers.set('if-range', validator);
  return headers;
}

/**
 * Whether a response to rangeHeaders() continues the partial download of a file of `size` bytes:
 * 206 with a Content-Range from the received count to the end, and the same validators (a server
 * that ignores If-Range may send a range of a changed file).
 */
export function continues(response: Response, partial: PartialDownload, size: number): boolean {
  if (response.status !== 206) return false;
  const range = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(response.headers.get('content-range') ?? '');
  if (!range || Number(range[1]) !== partial.received || Number(range[2]) !== size - 1) return false;
  if (range[3] !== '*' && Number(range[3]) !== size) return false;
  const same = (kept: string | null, now: string | null) => kept === null || now === null || kept === now;
  return (
    same(partial.etag, response.headers.get('etag')) &&
    same(partial.lastModified, response.headers.get('last-modified'))
  );
}

/** The chunks of a complete download as one buffer of `size` bytes. */
export function joinChunks(chunks: readonly Uint8Array[], size: number): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(new ArrayBuffer(size));
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
