import { sign, type KeyObject } from 'node:crypto';
import { bytesToBase64, utf8 } from '../../src/shared/bytes';
import {
  armour,
  LICENSE_FILE_ALG,
  signingInput,
  type LicensePayload,
} from '../../src/shared/license/license-file-format';

export function signLicenseFile(signingKey: KeyObject, payload: LicensePayload): string {
  const enc = bytesToBase64(utf8(JSON.stringify(payload)));
  const sig = bytesToBase64(sign(null, signingInput(enc), signingKey));
  return armour(bytesToBase64(utf8(JSON.stringify({ enc, sig, alg: LICENSE_FILE_ALG }))));
}
