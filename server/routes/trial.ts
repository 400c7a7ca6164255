import { Hono } from 'hono';
import type { RouteDeps } from '../app-deps';
import { hashDeviceId } from '../crypto/device-pepper';
import { ApiError } from '../http/api-error';
import { clientAddress } from '../http/client-address';
import { checkDeviceProof, useNonce } from '../http/device-proof-check';
import { readJson } from '../http/read-json';
import { trialRequest } from '../http/schemas';
import { issueLicenseFile } from '../licensing/issue-license-file';
import { startOrResumeTrial } from '../store/trials';

/** POST /api/trial {deviceId, proof}: the device's one 7-day trial (the same end date when asked again). */
export function trialRoutes(deps: RouteDeps): Hono {
  return new Hono().post('/', async (c) => {
    await deps.limits.checkAddress('trial', clientAddress(c, deps.config.trustProxy));
    const body = await readJson(c, trialRequest);
    await deps.limits.checkKey('trial', body.deviceId);
    await checkDeviceProof(body.deviceId, body.proof);
    await useNonce(deps.db, body.proof.nonce);
    const now = deps.now();
    const endsAt = await startOrResumeTrial(deps.db, hashDeviceId(deps.pepper, body.deviceId), now);
    if (endsAt <= now) {
      throw new ApiError(
        409,
        'TRIAL_USED',
        'This device has had its free trial; buy a license to keep everything.',
        {
          endedAt: endsAt.toISOString(),
        },
      );
    }
    const licenseFile = await issueLicenseFile(deps.signingKey, {
      licenseId: null,
      plan: 'trial',
      deviceId: body.deviceId,
      now,
      endsAt,
    });
    return c.json({ licenseFile, plan: 'trial', endsAt: endsAt.toISOString() });
  });
}
