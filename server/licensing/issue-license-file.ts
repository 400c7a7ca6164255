import type { KeyObject } from 'node:crypto';
import { deviceFileHash } from '../../src/shared/license/license-file-format';
import { addDays, ENTITLEMENTS, LICENSE_FILE_DAYS, type FilePlan } from './plans';
import { signLicenseFile } from './sign-license-file';

export interface LicenseFileRequest {
  licenseId: string | null;
  plan: FilePlan;
  deviceId: string;
  now: Date;
  /** When the trial or license itself ends, if it does. */
  endsAt: Date | null;
}

/** A signed license file valid for LICENSE_FILE_DAYS, or until the license ends if that is sooner. */
export async function issueLicenseFile(signingKey: KeyObject, request: LicenseFileRequest): Promise<string> {
  const fileExpiry = addDays(request.now, LICENSE_FILE_DAYS);
  const expiry = request.endsAt !== null && request.endsAt < fileExpiry ? request.endsAt : fileExpiry;
  return signLicenseFile(signingKey, {
    v: 1,
    licenseId: request.licenseId,
    plan: request.plan,
    entitlements: [...ENTITLEMENTS[request.plan]],
    device: await deviceFileHash(request.deviceId),
    issued: request.now.toISOString(),
    expiry: expiry.toISOString(),
  });
}
