import { createHmac } from 'node:crypto';
import { generateLicenseKey } from '../licensing/license-key';

/**
 * The license key bought in one Checkout Session: HMAC(pepper, session id), so the success page can
 * show it again (GET /api/checkout/:sessionId) while the database keeps only its hash.
 */
export function licenseKeyForSession(pepper: Buffer, sessionId: string): string {
  return generateLicenseKey(
    createHmac('sha256', pepper).update(`doppel-checkout-key:v1:${sessionId}`).digest(),
  );
}
