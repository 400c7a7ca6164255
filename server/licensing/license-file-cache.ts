import type { KeyObject } from 'node:crypto';
import { issueLicenseFile, type LicenseFileRequest } from './issue-license-file';
import { CHECK_IN_INTERVAL_MINUTES } from './plans';

const MAX_FILES = 10_000;

/**
 * License files for licenses (not trials), reused for CHECK_IN_INTERVAL_MINUTES per license, device
 * and end date, so the heartbeat does not sign (Ed25519) and hash on every call. A reused file was
 * issued at most that long ago, which the activation lapse allows for (plans.ts). Per process.
 */
export class LicenseFiles {
  private readonly files = new Map<string, { file: Promise<string>; issuedAt: number }>();

  constructor(private readonly signingKey: KeyObject) {}

  issue(request: LicenseFileRequest): Promise<string> {
    const key = [request.licenseId, request.deviceId, request.plan, request.endsAt?.toISOString()].join('|');
    const cached = this.files.get(key);
    const now = request.now.getTime();
    if (cached && now - cached.issuedAt < CHECK_IN_INTERVAL_MINUTES * 60_000 && now >= cached.issuedAt) {
      return cached.file;
    }
    const file = issueLicenseFile(this.signingKey, request);
    this.files.delete(key);
    if (this.files.size >= MAX_FILES) this.files.delete(this.files.keys().next().value!);
    this.files.set(key, { file, issuedAt: now });
    file.catch(() => this.files.delete(key));
    return file;
  }
}
