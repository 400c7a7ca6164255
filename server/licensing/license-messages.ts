import type { LicenseProblem } from '../store/licenses';

/** What the user reads for each validation code. */
export const LICENSE_MESSAGES: Record<LicenseProblem | 'NOT_FOUND' | 'FINGERPRINT_SCOPE_MISMATCH', string> = {
  NOT_FOUND: 'No license has this key; check it for typos.',
  SUSPENDED: 'This license is suspended while a payment dispute is open; contact support.',
  REVOKED: 'This license was refunded or cancelled; the app now runs on the Free plan.',
  EXPIRED: 'This license has expired; the app now runs on the Free plan.',
  FINGERPRINT_SCOPE_MISMATCH:
    'This license is not active on this device; activate it here (or take it over).',
};
