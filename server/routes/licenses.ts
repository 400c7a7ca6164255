import { Hono, type Context } from 'hono';
import type { RouteDeps } from '../app-deps';
import { hashDeviceId } from '../crypto/device-pepper';
import type { License } from '../db/schema';
import { ApiError } from '../http/api-error';
import { clientAddress } from '../http/client-address';
import { checkDeviceProof, useNonce } from '../http/device-proof-check';
import { readJson } from '../http/read-json';
import { activationRequest, deviceKeyRequest } from '../http/schemas';
import { issueLicenseFile } from '../licensing/issue-license-file';
import { LICENSE_MESSAGES } from '../licensing/license-messages';
import { TAKEOVER_INTERVAL_DAYS } from '../licensing/plans';
import { activate, deactivate, nextTakeoverAt, takeOver, touchActivation } from '../store/activations';
import { findLicense, licenseProblem } from '../store/licenses';

/** /api/licenses: activate, takeover, validate and deactivate. */
export function licenseRoutes(deps: RouteDeps): Hono {
  const limited = async (c: Context, route: string) =>
    deps.limits.checkAddress(route, clientAddress(c, deps.config.trustProxy));

  const licenseFile = (license: License, deviceId: string) =>
    issueLicenseFile(deps.signingKey, {
      licenseId: license.id,
      plan: license.plan,
      deviceId,
      now: deps.now(),
      endsAt: license.expires_at,
    });

  /** The checks activate and takeover share: valid body, key budget, device proof, usable license. */
  const activationContext = async (c: Context, route: string) => {
    await limited(c, route);
    const body = await readJson(c, activationRequest);
    await deps.limits.checkKey(route, body.key);
    await checkDeviceProof(body.deviceId, body.proof);
    const license = await findLicense(deps.db, body.key);
    if (!license) throw new ApiError(404, 'NOT_FOUND', LICENSE_MESSAGES.NOT_FOUND);
    const problem = licenseProblem(license, deps.now());
    if (problem) throw new ApiError(403, problem, LICENSE_MESSAGES[problem]);
    await useNonce(deps.db, body.proof.nonce);
    const activation = {
      licenseId: license.id,
      deviceHash: hashDeviceId(deps.pepper, body.deviceId),
      label: body.label,
      appVersion: body.appVersion,
    };
    return { body, license, activation };
  };

  return new Hono()
    .post('/activate', async (c) => {
      const { body, license, activation } = await activationContext(c, 'activate');
      if (!(await activate(deps.db, activation))) {
        throw new ApiError(
          409,
          'TOO_MANY_MACHINES',
          'Another device holds this license; deactivate it there, or take the license over from here.',
        );
      }
      return c.json({ licenseFile: await licenseFile(license, body.deviceId) });
    })
    .post('/takeover', async (c) => {
      const { body, license, activation } = await activationContext(c, 'takeover');
      if (!(await activate(deps.db, activation)) && !(await takeOver(deps.db, activation))) {
        const retryAt = (await nextTakeoverAt(deps.db, license.id)) ?? deps.now();
        const seconds = Math.max(1, Math.ceil((retryAt.getTime() - deps.now().getTime()) / 1000));
        throw new ApiError(
          429,
          'TAKEOVER_TOO_SOON',
          `This license moved to a new device less than ${TAKEOVER_INTERVAL_DAYS} days ago; it can move again on ${retryAt.toISOString().slice(0, 10)}, or deactivate it on the other device.`,
          { retryAt: retryAt.toISOString() },
          { 'Retry-After': String(seconds) },
        );
      }
      return c.json({ licenseFile: await licenseFile(license, body.deviceId) });
    })
    .post('/validate', async (c) => {
      await limited(c, 'validate');
      const body = await readJson(c, deviceKeyRequest);
      await deps.limits.checkKey('validate', body.key);
      const license = await findLicense(deps.db, body.key);
      if (!license) return c.json({ valid: false, code: 'NOT_FOUND', message: LICENSE_MESSAGES.NOT_FOUND });
      const problem = licenseProblem(license, deps.now());
      if (problem) return c.json({ valid: false, code: problem, message: LICENSE_MESSAGES[problem] });
      if (!(await touchActivation(deps.db, license.id, hashDeviceId(deps.pepper, body.deviceId)))) {
        const code = 'FINGERPRINT_SCOPE_MISMATCH';
        return c.json({ valid: false, code, message: LICENSE_MESSAGES[code] });
      }
      return c.json({ valid: true, code: 'VALID', licenseFile: await licenseFile(license, body.deviceId) });
    })
    .post('/deactivate', async (c) => {
      await limited(c, 'deactivate');
      const body = await readJson(c, deviceKeyRequest);
      await deps.limits.checkKey('deactivate', body.key);
      const license = await findLicense(deps.db, body.key);
      if (!license) throw new ApiError(404, 'NOT_FOUND', LICENSE_MESSAGES.NOT_FOUND);
      if (!(await deactivate(deps.db, license.id, hashDeviceId(deps.pepper, body.deviceId)))) {
        throw new ApiError(
          404,
          'NOT_ACTIVATED',
          'This license is not active on this device; nothing to deactivate.',
        );
      }
      return c.json({ deactivated: true });
    });
}
