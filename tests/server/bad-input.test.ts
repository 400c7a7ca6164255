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
async function expectRejected(path: string, body: unknown, status: number, code: string) {
  const before = await rowCounts(server.db);
  const response = await send(server.app, 'POST', path, body);
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

  it('unknown routes answer in the same JSON error shape', async () => {
    const response = await send(server.app, 'GET', '/api/nothing-here');
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: 'ROUTE_NOT_FOUND' } });
  });
});
