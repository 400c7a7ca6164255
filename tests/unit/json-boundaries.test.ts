import { afterEach, describe, expect, test, vi } from 'vitest';
import { callLicenseApi } from '../../src/app/license/license-api';
import { parseSwapSettings } from '../../src/app/state/settings';
import { DoppelError } from '../../src/shared/errors';
import { licenseFileReply, nonceReply, validateReply } from '../../src/shared/license/api-replies';
import { parseModelManifest, type ModelManifest } from '../../src/shared/manifest';

/** The JSON the client reads from the network is checked against zod schemas before use. */

const sha = 'ab'.repeat(32);
const manifest = (): ModelManifest => ({
  models: [
    {
      id: 'swapper',
      role: 'swapper',
      name: 'A swapper',
      license: 'MIT',
      files: [{ path: 'swapper.onnx', bytes: 10, sha256: sha }],
      emap: { path: 'swapper.emap', rows: 512, cols: 512 },
    },
  ],
});

function codeOf(work: () => unknown): string | null {
  try {
    work();
    return null;
  } catch (error) {
    return error instanceof DoppelError ? error.code : `not a DoppelError: ${String(error)}`;
  }
}

describe('model manifest', () => {
  test('a well-formed manifest is accepted as it is', () => {
    expect(parseModelManifest(manifest())).toEqual(manifest());
  });

  test.each([
    [
      'a file without a SHA-256',
      (m: ModelManifest) => delete (m.models[0]!.files[0] as Partial<{ sha256: string }>).sha256,
    ],
    ['an upper-case SHA-256', (m: ModelManifest) => (m.models[0]!.files[0]!.sha256 = sha.toUpperCase())],
    ['a negative size', (m: ModelManifest) => (m.models[0]!.files[0]!.bytes = -1)],
    ['a size as text', (m: ModelManifest) => ((m.models[0]!.files[0] as { bytes: unknown }).bytes = '10')],
    ['models not a list', (m: ModelManifest) => ((m as { models: unknown }).models = {})],
    ['an emap of zero rows', (m: ModelManifest) => (m.models[0]!.emap!.rows = 0)],
  ])('%s is MODEL_LOAD_FAILED, naming what is wrong', (_, spoil) => {
    const bad = manifest();
    spoil(bad);
    expect(codeOf(() => parseModelManifest(bad))).toBe('MODEL_LOAD_FAILED');
    expect(() => parseModelManifest(bad)).toThrow(/models\/manifest\.json\) is malformed/);
  });

  test('not JSON at all is MODEL_LOAD_FAILED', () => {
    expect(codeOf(() => parseModelManifest(null))).toBe('MODEL_LOAD_FAILED');
  });
});

describe('license API replies', () => {
  afterEach(() => vi.unstubAllGlobals());

  function serve(status: number, body: unknown): void {
    vi.stubGlobal('fetch', () =>
      Promise.resolve(new Response(typeof body === 'string' ? body : JSON.stringify(body), { status })),
    );
  }

  const failure = (work: Promise<unknown>) =>
    work.then(
      () => null,
      (error: unknown) => error as DoppelError,
    );

  test('an answer of the expected shape is returned as parsed', async () => {
    serve(201, { nonce: 'n'.repeat(43), expiresAt: '2026-01-01T00:00:00.000Z', extra: 1 });
    expect(await callLicenseApi('/nonce', nonceReply)).toEqual({
      nonce: 'n'.repeat(43),
      expiresAt: '2026-01-01T00:00:00.000Z',
    });
    serve(200, { valid: false, code: 'REVOKED', message: 'This license was revoked.' });
    expect(await callLicenseApi('/licenses/validate', validateReply, { body: {} })).toEqual({
      valid: false,
      code: 'REVOKED',
      message: 'This license was revoked.',
    });
  });

  test.each([
    ['a license file that is not text', 200, { licenseFile: 42 }],
    ['a reply without the license file', 200, { ok: true }],
    ['a reply that is not JSON', 200, '<html>proxy login</html>'],
    ['a refusal without a message', 403, { error: { code: 'NOPE' } }],
  ])('%s is LICENSE_SERVER_UNREACHABLE, never passed on', async (_, status, body) => {
    serve(status, body);
    const error = await failure(callLicenseApi('/licenses/activate', licenseFileReply, { body: {} }));
    expect(error).toBeInstanceOf(DoppelError);
    expect(error?.code).toBe('LICENSE_SERVER_UNREACHABLE');
  });

  test('a valid answer that says valid without a license file is refused', async () => {
    serve(200, { valid: true, code: 'VALID' });
    const error = await failure(callLicenseApi('/licenses/validate', validateReply, { body: {} }));
    expect(error?.code).toBe('LICENSE_SERVER_UNREACHABLE');
  });

  test("a refusal is LICENSE_REFUSED with the server's code and message", async () => {
    serve(409, {
      error: { code: 'TOO_MANY_MACHINES', message: 'Another device holds this key.', holder: 'x' },
    });
    const error = await failure(callLicenseApi('/licenses/activate', licenseFileReply, { body: {} }));
    expect(error?.code).toBe('LICENSE_REFUSED');
    expect(error?.message).toBe('Another device holds this key.');
    expect(error?.details).toMatchObject({ serverCode: 'TOO_MANY_MACHINES', holder: 'x', status: 409 });
  });
});

describe('saved swap settings (localStorage)', () => {
  const defaults = parseSwapSettings(null);

  test('values in range are kept; each bad one takes its own default', () => {
    const saved = parseSwapSettings(
      JSON.stringify({
        engine: 'neural',
        neural: { pixelBoost: 256, restore: 7, masks: ['region', 'hair', 'occlusion', 'region'] },
        strength: 40,
        keepMouth: 'yes',
      }),
    );
    expect(saved).toEqual({
      ...defaults,
      engine: 'neural',
      neural: { pixelBoost: 256, restore: defaults.neural.restore, masks: ['occlusion', 'region'] },
      strength: 40,
    });
    const notAList = parseSwapSettings(JSON.stringify({ neural: { masks: 'occlusion' } }));
    expect(notAList.neural.masks).toEqual([]);
  });

  test('the one mask saved before masks combined becomes the list it turned on', () => {
    const masksOf = (mask: unknown) =>
      parseSwapSettings(JSON.stringify({ neural: { pixelBoost: 512, mask } })).neural;
    expect(masksOf('region')).toEqual({ ...defaults.neural, pixelBoost: 512, masks: ['region'] });
    expect(masksOf('occlusion').masks).toEqual(['occlusion']);
    expect(masksOf('box').masks).toEqual([]);
    expect(masksOf(3).masks).toEqual([]);
  });

  test('text that is not JSON, or not an object, is the defaults', () => {
    expect(parseSwapSettings('{"engine":')).toEqual(defaults);
    expect(parseSwapSettings('[1,2]')).toEqual(defaults);
  });
});
