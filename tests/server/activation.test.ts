import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { verifyLicenseFile } from '../../src/shared/license/verify-license-file';
import {
  activationBody,
  issueKey,
  makeDevice,
  send,
  startTestServer,
  type TestServer,
  raceActivations,
  requestActivation,
} from './harness';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});

const validate = async (key: string, deviceId: string) =>
  (await send(server.app, 'POST', '/api/licenses/validate', { key, deviceId })).json() as Promise<{
    valid: boolean;
    code: string;
    licenseFile?: string;
  }>;

describe('activation', () => {
  it('gives a license file for this device', async () => {
    const { key } = await issueKey(server.db);
    const device = await makeDevice('P-256');
    const response = await requestActivation(server.app, device, key);
    expect(response.status).toBe(200);
    const { licenseFile } = (await response.json()) as { licenseFile: string };
    const check = await verifyLicenseFile(licenseFile, {
      publicKey: server.publicKey,
      deviceId: device.deviceId,
    });
    expect(check.ok && check.license.plan).toBe('pro');
  });

  it('lets exactly one of 20 simultaneous devices in; the others get 409 TOO_MANY_MACHINES', async () => {
    const { id, key } = await issueKey(server.db);
    const { responses, statuses } = await raceActivations(server, id, key, 20, 'activate');
    expect(statuses).toEqual([200, ...Array(19).fill(409)]);
    const losers = await Promise.all(responses.filter((r) => r.status === 409).map((r) => r.json()));
    for (const body of losers) expect(body).toMatchObject({ error: { code: 'TOO_MANY_MACHINES' } });
    const { rows } = await sql<{
      n: number;
    }>`select count(*)::int as n from activations where license_id = ${id}`.execute(server.db);
    expect(rows[0]!.n).toBe(1);
  });

  it('is idempotent for the device that holds the license', async () => {
    const { key } = await issueKey(server.db);
    const device = await makeDevice();
    for (let i = 0; i < 2; i++) {
      const response = await requestActivation(server.app, device, key);
      expect(response.status).toBe(200);
    }
  });

  it('refuses a replayed nonce', async () => {
    const { key } = await issueKey(server.db);
    const device = await makeDevice();
    const body = await activationBody(server.app, device, key);
    expect((await send(server.app, 'POST', '/api/licenses/activate', body)).status).toBe(200);
    const replay = await send(server.app, 'POST', '/api/licenses/activate', body);
    expect(replay.status).toBe(401);
    expect(await replay.json()).toMatchObject({ error: { code: 'NONCE_INVALID' } });
  });

  it('refuses a proof signed by a different device', async () => {
    const { key } = await issueKey(server.db);
    const device = await makeDevice();
    const impostor = await makeDevice();
    const body = {
      ...(await activationBody(server.app, device, key)),
      proof: await impostor.proof(server.app),
    };
    const response = await send(server.app, 'POST', '/api/licenses/activate', body);
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({ error: { code: 'PROOF_INVALID' } });
  });

  it('after deactivation, lets another device in', async () => {
    const { key } = await issueKey(server.db);
    const [first, second] = [await makeDevice(), await makeDevice()];
    await requestActivation(server.app, first, key);
    const deactivated = await send(server.app, 'POST', '/api/licenses/deactivate', {
      key,
      deviceId: first.deviceId,
      proof: await first.proof(server.app),
    });
    expect(await deactivated.json()).toEqual({ deactivated: true });
    expect((await validate(key, first.deviceId)).code).toBe('FINGERPRINT_SCOPE_MISMATCH');
    const again = await send(server.app, 'POST', '/api/licenses/deactivate', {
      key,
      deviceId: first.deviceId,
    });
    expect(again.status).toBe(404);
    expect(await again.json()).toMatchObject({ error: { code: 'NOT_ACTIVATED' } });
    const response = await requestActivation(server.app, second, key);
    expect(response.status).toBe(200);
  });

  it('refuses unknown, suspended, revoked and expired licenses', async () => {
    const device = await makeDevice();
    const unknown = await send(server.app, 'POST', '/api/licenses/activate', {
      ...(await activationBody(server.app, device, '0000-0000-0000-0000-0000-0000-0000-0000')),
    });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: 'NOT_FOUND' } });
    const expired = await issueKey(server.db, new Date(Date.now() - 1000));
    const response = await send(
      server.app,
      'POST',
      '/api/licenses/activate',
      await activationBody(server.app, device, expired.key),
    );
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: { code: 'EXPIRED' } });
    for (const status of ['suspended', 'revoked'] as const) {
      const { id, key } = await issueKey(server.db);
      await server.db.updateTable('licenses').set({ status }).where('id', '=', id).execute();
      const refused = await requestActivation(server.app, device, key);
      expect(refused.status).toBe(403);
      expect(await refused.json()).toMatchObject({ error: { code: status.toUpperCase() } });
    }
  });
});

describe('validate', () => {
  it('answers VALID with a fresh file, and each other code', async () => {
    const { id, key } = await issueKey(server.db);
    const [holder, other] = [await makeDevice(), await makeDevice()];
    await requestActivation(server.app, holder, key);

    const valid = await validate(key, holder.deviceId);
    expect(valid).toMatchObject({ valid: true, code: 'VALID' });
    const check = await verifyLicenseFile(valid.licenseFile!, {
      publicKey: server.publicKey,
      deviceId: holder.deviceId,
    });
    expect(check.ok).toBe(true);

    expect(await validate(key, other.deviceId)).toMatchObject({
      valid: false,
      code: 'FINGERPRINT_SCOPE_MISMATCH',
    });
    expect(await validate('ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ-ZZZZ', holder.deviceId)).toMatchObject({
      valid: false,
      code: 'NOT_FOUND',
    });
    for (const [change, code] of [
      [{ status: 'suspended' }, 'SUSPENDED'],
      [{ status: 'revoked' }, 'REVOKED'],
      [{ status: 'active', expires_at: new Date(Date.now() - 1000) }, 'EXPIRED'],
    ] as const) {
      await server.db.updateTable('licenses').set(change).where('id', '=', id).execute();
      expect(await validate(key, holder.deviceId)).toMatchObject({ valid: false, code });
    }
  });
});
