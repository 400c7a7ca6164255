import { createHmac } from 'node:crypto';
import { Hono } from 'hono';
import type { RouteDeps } from '../app-deps';
import { hashDeviceId } from '../crypto/device-pepper';
import { addressBlock } from '../http/address-block';
import { ApiError } from '../http/api-error';
import { clientAddress } from '../http/client-address';
import { checkDeviceProof, useNonce } from '../http/device-proof-check';
import { limitRequest } from '../http/limit-request';
import { readJson } from '../http/read-json';
import { trialRequest } from '../http/schemas';
import { issueLicenseFile } from '../licensing/issue-license-file';
import { startOrResumeTrial } from '../store/trials';
import type { TrialReply } from '../../src/shared/license/api-replies';

/**
 * POST /api/trial {deviceId, proof}: the device's one 7-day trial (the same end date when asked
 * again), and at most `trialsPerBlock` new trials per address block (IPv4 /24, IPv6 /64) per 30 days.
 * The block is stored only as HMAC(pepper, block).
 */
export function trialRoutes(deps: RouteDeps): Hono {
  return new Hono().post('/', async (c) => {
    const body = await readJson(c, trialRequest);
    await limitRequest(deps, c, 'trial', body.deviceId);
    await checkDeviceProof(body.deviceId, body.proof);
    await useNonce(deps.db, body.proof.nonce);
    const now = deps.now();
    const block = addressBlock(clientAddress(c, deps.config.trustedProxies));
    const answer = await startOrResumeTrial(
      deps.db,
      {
        deviceHash: hashDeviceId(deps.pepper, body.deviceId),
        blockHash: createHmac('sha256', deps.pepper).update(`address-block:${block}`).digest('hex'),
        perBlock: deps.config.limits.trialsPerBlock,
      },
      now,
    );
    if ('blockFullUntil' in answer) {
      const seconds = Math.max(1, Math.ceil((answer.blockFullUntil.getTime() - now.getTime()) / 1000));
      throw new ApiError(
        429,
        'TRIAL_LIMIT',
        'Too many free trials were started from this network recently; buy a license, or try again later.',
        { retryAt: answer.blockFullUntil.toISOString() },
        { 'Retry-After': String(seconds) },
      );
    }
    if (answer.endsAt <= now) {
      throw new ApiError(
        409,
        'TRIAL_USED',
        'This device has had its free trial; buy a license to keep everything.',
        { endedAt: answer.endsAt.toISOString() },
      );
    }
    const licenseFile = await issueLicenseFile(deps.signingKey, {
      licenseId: null,
      plan: 'trial',
      deviceId: body.deviceId,
      now,
      endsAt: answer.endsAt,
    });
    return c.json({ licenseFile, plan: 'trial', endsAt: answer.endsAt.toISOString() } satisfies TrialReply);
  });
}
