import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  apiErrorReply,
  deactivateReply,
  licenseFileReply,
  nonceReply,
  trialReply,
  validateReply,
} from '../../src/shared/license/api-replies';
import { issueKey, makeDevice, requestActivation, send, startTestServer, type TestServer } from './harness';

/**
 * The server's replies parse with the very zod schemas the app checks them with
 * (src/shared/license/api-replies.ts): a change of shape on either side fails here.
 */
describe('license API replies match the shared schemas', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.db.destroy();
  });

  const parsed = async (response: Response, status: number, schema: z.ZodType) => {
    expect(response.status).toBe(status);
    return schema.safeParse(await response.json());
  };

  it('nonce, trial, activate, validate (valid and not), deactivate and a refusal', async () => {
    const device = await makeDevice();
    expect((await parsed(await send(server.app, 'POST', '/api/nonce'), 201, nonceReply)).success).toBe(true);
    const trial = await send(server.app, 'POST', '/api/trial', {
      deviceId: device.deviceId,
      proof: await device.proof(server.app),
    });
    expect((await parsed(trial, 200, trialReply)).success).toBe(true);

    const { key } = await issueKey(server.db);
    const activated = await requestActivation(server.app, device, key);
    expect((await parsed(activated, 200, licenseFileReply)).success).toBe(true);
    const valid = await send(server.app, 'POST', '/api/licenses/validate', {
      key,
      deviceId: device.deviceId,
    });
    const validReply = await parsed(valid, 200, validateReply);
    expect(validReply.success && validReply.data).toMatchObject({ valid: true });
    const deactivated = await send(server.app, 'POST', '/api/licenses/deactivate', {
      key,
      deviceId: device.deviceId,
      proof: await device.proof(server.app),
    });
    expect((await parsed(deactivated, 200, deactivateReply)).success).toBe(true);
    const gone = await send(server.app, 'POST', '/api/licenses/validate', { key, deviceId: device.deviceId });
    const goneReply = await parsed(gone, 200, validateReply);
    expect(goneReply.success && goneReply.data).toMatchObject({ valid: false });

    const refused = await send(server.app, 'POST', '/api/licenses/activate', { key: 'nonsense' });
    expect((await parsed(refused, 400, apiErrorReply)).success).toBe(true);
  });
});
