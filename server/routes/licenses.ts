import { Hono, type Context } from 'hono';
import type { RouteDeps } from '../app-deps';
import { hashDeviceId } from '../crypto/device-pepper';
import type { License } from '../db/schema';
import { ApiError } from '../http/api-error';
import { checkDeviceProof, useNonce } from '../http/device-proof-check';
import { limitRequest } from '../http/limit-request';
import { readJson } from '../http/read-json';
import { activationRequest, deactivationRequest, deviceKeyRequest } from '../http/schemas';
import { LICENSE_MESSAGES } from '../licensing/license-messages';
import { TAKEOVER_INTERVAL_DAYS } from '../licensing/plans';
import {
  activate,
  checkInDue,
  deactivate,
  findLicenseForDevice,
  nextTakeoverAt,
  takeOver,
  touchActivation,
} from '../store/activations';
import { findLicense, licenseProblem } from '../store/licenses';
import type { DeactivateReply, LicenseFileReply, ValidateReply } from '../../src/shared/license/api-replies';

/** /api/licenses: activate, takeover, validate and deactivate. */
export function licenseRoutes(deps: RouteDeps): Hono {
  const licenseFile = (license: License, deviceId: string) =>
    deps.licenseFiles.issue({
      licenseId: license.id,
      plan: license.plan,
      deviceId,
      now: deps.now(),
      endsAt: license.expires_at,
    });

  const tooSoon = async (licenseId: string, what: string) => {
    const retryAt = (await nextTakeoverAt(deps.db, licenseId)) ?? deps.now();
    const seconds = Math.max(1, Math.ceil((retryAt.getTime() - deps.now().getTime()) / 1000));
    return new ApiError(
      429,
      'TAKEOVER_TOO_SOON',
      `This license moved to a new device less than ${TAKEOVER_INTERVAL_DAYS} days ago; ${what} on ${retryAt.toISOString().slice(0, 10)}, or deactivate it on the other device.`,
      { retryAt: retryAt.toISOString() },
      { 'Retry-After': String(seconds) },
    );
  };

  /** The checks activate and takeover share: valid body, budgets, device proof, usable license. */
  const activationContext = async (c: Context, route: string) => {
    const body = await readJson(c, activationRequest);
    await limitRequest(deps, c, route, body.key);
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
      return c.json({ licenseFile: await licenseFile(license, body.deviceId) } satisfies LicenseFileReply);
    })
    .post('/takeover', async (c) => {
      const { body, license, activation } = await activationContext(c, 'takeover');
      if (!(await activate(deps.db, activation)) && !(await takeOver(deps.db, activation))) {
        throw await tooSoon(license.id, 'it can move again');
      }
      return c.json({ licenseFile: await licenseFile(license, body.deviceId) } satisfies LicenseFileReply);
    })
    .post('/validate', async (c) => {
      const body = await readJson(c, deviceKeyRequest);
      await limitRequest(deps, c, 'validate', body.key);
      const deviceHash = hashDeviceId(deps.pepper, body.deviceId);
      const license = await findLicenseForDevice(deps.db, body.key, deviceHash);
      if (!license)
        return c.json({
          valid: false,
          code: 'NOT_FOUND',
          message: LICENSE_MESSAGES.NOT_FOUND,
        } satisfies ValidateReply);
      const now = deps.now();
      const problem = licenseProblem(license, now);
      if (problem)
        return c.json({
          valid: false,
          code: problem,
          message: LICENSE_MESSAGES[problem],
        } satisfies ValidateReply);
      if (license.device_seen_at === null) {
        const code = 'FINGERPRINT_SCOPE_MISMATCH';
        return c.json({ valid: false, code, message: LICENSE_MESSAGES[code] } satisfies ValidateReply);
      }
      if (checkInDue(license.device_seen_at, now)) await touchActivation(deps.db, license.id, deviceHash);
      return c.json({
        valid: true,
        code: 'VALID',
        licenseFile: await licenseFile(license, body.deviceId),
      } satisfies ValidateReply);
    })
    .post('/deactivate', async (c) => {
      const body = await readJson(c, deactivationRequest);
      await limitRequest(deps, c, 'deactivate', body.key);
      if (body.proof) await checkDeviceProof(body.deviceId, body.proof);
      const license = await findLicense(deps.db, body.key);
      if (!license) throw new ApiError(404, 'NOT_FOUND', LICENSE_MESSAGES.NOT_FOUND);
      if (body.proof) await useNonce(deps.db, body.proof.nonce);
      const deviceHash = hashDeviceId(deps.pepper, body.deviceId);
      const outcome = await deactivate(deps.db, license.id, deviceHash, body.proof !== undefined);
      if (outcome === 'not_activated') {
        throw new ApiError(
          404,
          'NOT_ACTIVATED',
          'This license is not active on this device; nothing to deactivate.',
        );
      }
      if (outcome === 'too_soon')
        throw await tooSoon(license.id, 'without this device’s proof it can be deactivated');
      return c.json({ deactivated: true } satisfies DeactivateReply);
    });
}
