import { beforeAll, describe, expect, it } from 'vitest';
import {
  activationBody,
  issueKey,
  makeDevice,
  rowCounts,
  send,
  startTestServer,
  type TestServer,
} from './harness';

let server: TestServer;
let key: string;
beforeAll(async () => {
  server = await startTestServer();
  ({ key } = await issueKey(server.db));
});

/** Sends the request and checks the answer is a 4xx JSON error and that no table changed. */
async function expectRejected(
  path: string,
  body: unknown,
  status: number,
  code: string,
  headers: Record<string, string> = {},
) {
  const before = await rowCounts(server.db);
  const response = await send(server.app, 'POST', path, body, headers);
  expect(response.status, `${path} ${JSON.stringify(body).slice(0, 200)}`).toBe(status);
  expect(await response.json()).toMatchObject({ error: { code, message: expect.any(String) } });
  expect(await rowCounts(server.db)).toEqual(before);
}

describe('bad input is a 4xx that changes nothing', () => {
  it('malformed JSON and oversized bodies', async () => {
    for (const path of [
      '/api/trial',
      '/api/licenses/activate',
      '/api/licenses/takeover',
      '/api/licenses/validate',
    ]) {
      await expectRejected(path, '{"key": ', 400, 'MALFORMED_JSON');
      await expectRejected(path, '', 400, 'MALFORMED_JSON');
      await expectRejected(path, JSON.stringify({ key, pad: 'x'.repeat(20_000) }), 413, 'PAYLOAD_TOO_LARGE');
    }
  });

  it('missing fields, wrong types and unknown keys', async () => {
    const device = await makeDevice();
    const good = await activationBody(server.app, device, key);
    const cases: unknown[] = [
      {},
      [],
      null,
      JSON.stringify('text'),
      { ...good, label: undefined },
      { ...good, deviceId: 42 },
      { ...good, deviceId: 'not-hex' },
      { ...good, key: 'not a key' },
      { ...good, label: '' },
      { ...good, proof: 'signed' },
      { ...good, admin: true },
      { ...good, proof: { ...good.proof, extra: 1 } },
      { ...good, proof: { ...good.proof, publicKey: { ...(good.proof.publicKey as object), d: 'private' } } },
      { ...good, proof: { ...good.proof, nonce: 'short' } },
    ];
    for (const body of cases) {
      await expectRejected('/api/licenses/activate', body, 400, 'INVALID_REQUEST');
      await expectRejected('/api/licenses/takeover', body, 400, 'INVALID_REQUEST');
    }
    await expectRejected('/api/trial', { deviceId: device.deviceId }, 400, 'INVALID_REQUEST');
    await expectRejected(
      '/api/trial',
      { deviceId: device.deviceId, proof: good.proof, key },
      400,
      'INVALID_REQUEST',
    );
    await expectRejected('/api/licenses/validate', { key }, 400, 'INVALID_REQUEST');
    await expectRejected(
      '/api/licenses/validate',
      { key, deviceId: device.deviceId, label: 'x' },
      400,
      'INVALID_REQUEST',
    );
    await expectRejected('/api/licenses/deactivate', { key, deviceId: [] }, 400, 'INVALID_REQUEST');
  });

  it('a forged proof, and a valid proof for an unknown key', async () => {
    const device = await makeDevice();
    const good = await activationBody(server.app, device, key);
    const forged = {
      ...good,
      proof: { ...good.proof, signature: good.proof.signature.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')) },
    };
    await expectRejected('/api/licenses/activate', forged, 401, 'PROOF_INVALID');
    await expectRejected(
      '/api/trial',
      { deviceId: device.deviceId, proof: forged.proof },
      401,
      'PROOF_INVALID',
    );
    const unknown = { ...good, key: 'ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ' };
    await expectRejected('/api/licenses/activate', unknown, 404, 'NOT_FOUND');
  });

  it('control and bidi characters in any string, values and keys alike', async () => {
    const device = await makeDevice();
    for (const bad of [
      'Chrome\u0000',
      'Chrome\u0007 on Linux',
      'Chrome\u202e xunil',
      'a\u2066b\u2069',
      '\u0085',
    ]) {
      const good = await activationBody(server.app, device, key);
      await expectRejected('/api/licenses/activate', { ...good, label: bad }, 400, 'INVALID_REQUEST');
      await expectRejected('/api/licenses/activate', { ...good, appVersion: bad }, 400, 'INVALID_REQUEST');
      await expectRejected(
        '/api/licenses/validate',
        { key: `${key}${bad}`, deviceId: device.deviceId },
        400,
        'INVALID_REQUEST',
      );
      await expectRejected(
        '/api/licenses/validate',
        { key, deviceId: device.deviceId, [bad]: 1 },
        400,
        'INVALID_REQUEST',
      );
    }
    const response = await send(server.app, 'POST', '/api/licenses/activate', {
      ...(await activationBody(server.app, device, key)),
      label: 'NUL\u0000',
    });
    expect(await response.json()).toMatchObject({ error: { message: expect.stringContaining('label') } });
  });

  it('a body that is not sent as application/json is 415', async () => {
    const device = await makeDevice();
    const body = { key, deviceId: device.deviceId };
    for (const path of ['/api/trial', '/api/licenses/activate', '/api/licenses/validate', '/api/checkout']) {
      for (const type of [
        'text/plain',
        'application/x-www-form-urlencoded',
        'multipart/form-data; boundary=x',
        '',
      ]) {
        await expectRejected(path, body, 415, 'UNSUPPORTED_MEDIA_TYPE', { 'content-type': type });
      }
    }
    const charset = await send(server.app, 'POST', '/api/licenses/validate', body, {
      'content-type': 'application/json; charset=utf-8',
    });
    expect(charset.status).toBe(200);
  });

  it('unknown routes answer in the same JSON error shape', async () => {
    const response = await send(server.app, 'GET', '/api/nothing-here');
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: 'ROUTE_NOT_FOUND' } });
  });
});
