import { openDB, type DBSchema, type IDBPDatabase } from 'idb';

/** What this browser keeps about its license: the license file and the key it came from. */
export interface StoredLicense {
  /** The armoured license file, or null on the Free plan. */
  file: string | null;
  /** The license key (null for a trial): needed to refresh, deactivate or take over. */
  key: string | null;
}

interface LicenseSchema extends DBSchema {
  /** The device key pair (non-extractable private key), under 'keys'. */
  device: { key: 'keys'; value: CryptoKeyPair };
  /** The current license, under 'current'. */
  license: { key: 'current'; value: StoredLicense };
}

/** The IndexedDB database licensing uses (the browser test reads and edits it by these names). */
export const licenseDbName = 'doppel-license';

let db: Promise<IDBPDatabase<LicenseSchema>> | undefined;

function open(): Promise<IDBPDatabase<LicenseSchema>> {
  db ??= openDB<LicenseSchema>(licenseDbName, 1, {
    upgrade(database) {
      database.createObjectStore('device');
      database.createObjectStore('license');
    },
  });
  return db;
}

export async function readStoredLicense(): Promise<StoredLicense> {
  return (await (await open()).get('license', 'current')) ?? { file: null, key: null };
}

export async function writeStoredLicense(license: StoredLicense): Promise<void> {
  await (await open()).put('license', license, 'current');
}

export async function readDeviceKeys(): Promise<CryptoKeyPair | undefined> {
  return (await open()).get('device', 'keys');
}

/** Keeps `keys` unless another tab stored a pair first; returns the pair that is kept. */
export async function keepDeviceKeys(keys: CryptoKeyPair): Promise<CryptoKeyPair> {
  const tx = (await open()).transaction('device', 'readwrite');
  const existing = await tx.store.get('keys');
  if (!existing) await tx.store.put(keys, 'keys');
  await tx.done;
  return existing ?? keys;
}
