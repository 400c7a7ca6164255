/**
 * The privacy checker: given every request the browser made, our origin and the media the user put
 * in and got out, lists what breaks the promise that no media leaves the device:
 * - a request to any origin but ours (blob: and data: URLs never leave the browser);
 * - a request whose body or URL holds any 64-byte window of the media, raw or as base64.
 * Pure (no browser), so its own unit test can show that it catches both.
 */

export interface CapturedRequest {
  url: string;
  method: string;
  /** The request body as sent, if any. */
  body?: Uint8Array | null;
}

export interface PrivacyViolation {
  kind: 'foreign-origin' | 'media-in-request';
  url: string;
  method: string;
  detail: string;
}

/** The length of the slice of media that counts as leaked. */
export const windowSize = 64;

const base = 0x01000193;
/** base^windowSize mod 2^32, to remove the byte leaving the window. */
const outFactor = (() => {
  let f = 1;
  for (let i = 0; i < windowSize; i++) f = Math.imul(f, base);
  return f;
})();

/** Calls `visit(hash, start)` for the rolling hash of every window of `bytes`. */
function rollingHashes(bytes: Uint8Array, visit: (hash: number, start: number) => boolean | void): void {
  if (bytes.length < windowSize) return;
  let hash = 0;
  for (let i = 0; i < bytes.length; i++) {
    hash = (Math.imul(hash, base) + bytes[i]!) | 0;
    if (i >= windowSize) hash = (hash - Math.imul(bytes[i - windowSize]!, outFactor)) | 0;
    if (i >= windowSize - 1 && visit(hash, i - windowSize + 1) === true) return;
  }
}

function sameWindow(a: Uint8Array, aStart: number, b: Uint8Array, bStart: number): boolean {
  for (let k = 0; k < windowSize; k++) if (a[aStart + k] !== b[bStart + k]) return false;
  return true;
}

/** The media as raw bytes and as base64 (and base64url) text at each of the three alignments. */
function mediaForms(media: Uint8Array): { name: string; bytes: Uint8Array }[] {
  const forms = [{ name: 'raw', bytes: media }];
  for (let shift = 0; shift < 3; shift++) {
    const text = Buffer.from(media.subarray(shift)).toString('base64');
    forms.push({ name: `base64 (offset ${shift})`, bytes: new TextEncoder().encode(text) });
    const url = text.replace(/\+/g, '-').replace(/\//g, '_');
    if (url !== text)
      forms.push({ name: `base64url (offset ${shift})`, bytes: new TextEncoder().encode(url) });
  }
  return forms;
}

/**
 * Where in `haystack` (request body or URL) a 64-byte window of any media occurs, or null. The
 * haystack's windows go into a table (requests are small) and each media form is rolled past it,
 * so every offset in both is checked.
 */
function findMedia(
  haystack: Uint8Array,
  media: { label: string; forms: { name: string; bytes: Uint8Array }[] }[],
): string | null {
  if (haystack.length < windowSize) return null;
  const table = new Map<number, number[]>();
  rollingHashes(haystack, (hash, start) => {
    const list = table.get(hash);
    if (list) list.push(start);
    else table.set(hash, [start]);
  });
  for (const { label, forms } of media) {
    for (const form of forms) {
      let found: string | null = null;
      rollingHashes(form.bytes, (hash, start) => {
        const candidates = table.get(hash);
        if (!candidates?.some((at) => sameWindow(haystack, at, form.bytes, start))) return false;
        found = `${windowSize} bytes of ${label} (${form.name}, from byte ${start})`;
        return true;
      });
      if (found) return found;
    }
  }
  return null;
}

const staysInBrowser = (url: string) => /^(blob|data|about):/.test(url);

export function checkPrivacy(options: {
  origin: string;
  requests: CapturedRequest[];
  /** Inputs and outputs, by name. */
  media: Record<string, Uint8Array>;
}): PrivacyViolation[] {
  const violations: PrivacyViolation[] = [];
  const media = Object.entries(options.media).map(([label, bytes]) => ({ label, forms: mediaForms(bytes) }));
  for (const request of options.requests) {
    const { url, method } = request;
    if (staysInBrowser(url)) continue;
    let origin: string;
    try {
      origin = new URL(url).origin;
    } catch {
      origin = url;
    }
    if (origin !== options.origin) {
      violations.push({ kind: 'foreign-origin', url, method, detail: `request to ${origin}` });
    }
    for (const [where, bytes] of [
      ['body', request.body],
      ['URL', new TextEncoder().encode(url)],
    ] as const) {
      if (!bytes) continue;
      const found = findMedia(bytes, media);
      if (found)
        violations.push({ kind: 'media-in-request', url, method, detail: `${where} holds ${found}` });
    }
  }
  return violations;
}
