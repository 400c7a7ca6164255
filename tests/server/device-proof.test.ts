import { describe, expect, it } from 'vitest';
import { verifyDeviceProof } from '../../src/shared/license/device-proof';
import { makeDevice } from './harness';

describe('device proofs', () => {
  for (const algorithm of ['Ed25519', 'P-256'] as const) {
    for (const format of ['jwk', 'spki'] as const) {
      it(`accept ${algorithm} keys given as ${format}`, async () => {
        const device = await makeDevice(algorithm, format);
        expect(await verifyDeviceProof(await device.sign('n'.repeat(43)), device.deviceId)).toBe(true);
      });
    }
  }

  it('reject a key that is not the claimed device, or a signature over another nonce', async () => {
    const device = await makeDevice();
    const other = await makeDevice();
    const proof = await device.sign('n'.repeat(43));
    expect(await verifyDeviceProof(proof, other.deviceId)).toBe(false);
    expect(await verifyDeviceProof({ ...proof, nonce: 'm'.repeat(43) }, device.deviceId)).toBe(false);
    expect(await verifyDeviceProof({ ...proof, signature: 'AAAA' }, device.deviceId)).toBe(false);
    expect(await verifyDeviceProof({ ...proof, publicKey: 'bm90IGEga2V5' }, device.deviceId)).toBe(false);
  });
});
