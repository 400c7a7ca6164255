import { verifyDeviceProof, type DeviceProof } from '../../src/shared/license/device-proof';
import type { Db } from '../db/database';
import { consumeNonce } from '../store/nonces';
import { ApiError } from './api-error';

/** Checks the signature and that the key is this device's; touches nothing in the database. */
export async function checkDeviceProof(deviceId: string, proof: DeviceProof): Promise<void> {
  if (!(await verifyDeviceProof(proof, deviceId))) {
    throw new ApiError(
      401,
      'PROOF_INVALID',
      'The device proof does not match this device; restart the app and try again.',
    );
  }
}

/** Uses up the proof's nonce, once every other check has passed. */
export async function useNonce(db: Db, nonce: string): Promise<void> {
  if (!(await consumeNonce(db, nonce))) {
    throw new ApiError(401, 'NONCE_INVALID', 'The request expired or was already used; try again.');
  }
}
