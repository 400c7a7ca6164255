import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkPrivacy, type CapturedRequest } from '../browser/privacy-checker';
import { samplePath } from '../fixtures/samples';

const origin = 'http://127.0.0.1:4173';
const photo = new Uint8Array(readFileSync(samplePath(1)));
const output = new Uint8Array(readFileSync(samplePath(2)));
const media = { 'source photo': photo, 'result PNG': output };

/** What a clean session looks like: the app, its models and wasm, a license check with a small JSON body. */
const clean: CapturedRequest[] = [
  { url: `${origin}/?backend=wasm`, method: 'GET' },
  { url: `${origin}/assets/index-abc123.js`, method: 'GET' },
  { url: `${origin}/models/human/facemesh.bin`, method: 'GET' },
  { url: `${origin}/wasm/tfjs-backend-wasm-simd.wasm`, method: 'GET' },
  { url: 'blob:http://127.0.0.1:4173/6f1c', method: 'GET' },
  { url: 'data:image/png;base64,iVBORw0KGgo=', method: 'GET' },
  {
    url: `${origin}/api/license/check`,
    method: 'POST',
    body: new TextEncoder().encode(JSON.stringify({ key: 'DOPPEL-1234-5678', device: 'a'.repeat(200) })),
  },
];

describe('privacy checker', () => {
  it('passes clean traffic', () => {
    expect(checkPrivacy({ origin, requests: clean, media })).toEqual([]);
  });

  it('fails a request to a foreign origin', () => {
    const requests = [...clean, { url: 'https://analytics.example/collect?v=1', method: 'GET' }];
    const violations = checkPrivacy({ origin, requests, media });
    expect(violations).toEqual([
      expect.objectContaining({ kind: 'foreign-origin', url: 'https://analytics.example/collect?v=1' }),
    ]);
  });

  it('fails a POST to our own origin carrying a slice of the photo', () => {
    const body = new Uint8Array(300);
    body.set(photo.subarray(10_000, 10_064), 123);
    const requests = [...clean, { url: `${origin}/api/license/check`, method: 'POST', body }];
    const violations = checkPrivacy({ origin, requests, media });
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatchObject({ kind: 'media-in-request', method: 'POST' });
    expect(violations[0]!.detail).toContain('source photo');
  });

  it('fails a slice of the output hidden as base64 in a JSON body or a URL, at any alignment', () => {
    for (const start of [5_000, 5_001, 5_002]) {
      const text = Buffer.from(output.subarray(start, start + 90)).toString('base64');
      const body = new TextEncoder().encode(JSON.stringify({ note: 'hello', data: text }));
      const violations = checkPrivacy({
        origin,
        requests: [{ url: `${origin}/api/license/check`, method: 'POST', body }],
        media,
      });
      expect(violations.map((v) => v.detail).join()).toMatch(/result PNG \(base64/);
    }
    const url = `${origin}/x?d=${Buffer.from(photo.subarray(777, 900)).toString('base64url')}`;
    expect(checkPrivacy({ origin, requests: [{ url, method: 'GET' }], media })).toEqual([
      expect.objectContaining({ kind: 'media-in-request', detail: expect.stringContaining('URL') }),
    ]);
  });

  it('does not flag fewer than 64 bytes of the media', () => {
    const body = photo.slice(2_000, 2_063);
    expect(checkPrivacy({ origin, requests: [{ url: `${origin}/a`, method: 'POST', body }], media })).toEqual(
      [],
    );
  });
});
