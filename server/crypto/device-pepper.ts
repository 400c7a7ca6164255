import { createHmac, randomBytes } from 'node:crypto';
import type { ServerConfig } from '../config';
import { readOrCreateSecret } from './dev-secrets';

const MIN_PEPPER_BYTES = 32;

/** The HMAC secret for device ids: DOPPEL_DEVICE_PEPPER, or in development one generated into the data directory. */
export function loadDevicePepper(config: ServerConfig): Buffer {
  const text =
    config.devicePepper ??
    readOrCreateSecret(config.dataDir, 'device-pepper', () =>
      randomBytes(MIN_PEPPER_BYTES).toString('base64'),
    );
  const pepper = Buffer.from(text.trim(), 'base64');
  if (pepper.length < MIN_PEPPER_BYTES) {
    throw new Error(`DOPPEL_DEVICE_PEPPER must be base64 of at least ${MIN_PEPPER_BYTES} random bytes.`);
  }
  return pepper;
}

/** What the database stores instead of a device id. */
export function hashDeviceId(pepper: Buffer, deviceId: string): string {
  return createHmac('sha256', pepper).update(deviceId).digest('hex');
}
