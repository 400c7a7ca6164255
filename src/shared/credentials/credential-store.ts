import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import { makeInstallCredential, stillValid, type InstallCredential } from './install-certificate';

interface CredentialSchema extends DBSchema {
  /** The install's signing credential, under 'install'. */
  signer: { key: 'install'; value: InstallCredential };
}

/**
 * The IndexedDB database holding the Content Credentials signing key (app and engine worker share
 * it; "Clear everything" keeps it, like the license device key).
 */
export const credentialDbName = 'doppel-credentials';

let db: Promise<IDBPDatabase<CredentialSchema>> | undefined;

function open(): Promise<IDBPDatabase<CredentialSchema>> {
  db ??= openDB<CredentialSchema>(credentialDbName, 1, {
    upgrade(database) {
      database.createObjectStore('signer');
    },
  });
  return db;
}

/**
 * This install's signing credential, made on first use (or when the kept one nears its expiry).
 * When the app and the worker make one at once, the first one stored is the one both use.
 */
export async function installCredential(): Promise<InstallCredential> {
  const kept = await (await open()).get('signer', 'install');
  if (kept && stillValid(kept)) return kept;
  const made = await makeInstallCredential();
  const tx = (await open()).transaction('signer', 'readwrite');
  const raced = await tx.store.get('install');
  const chosen = raced && stillValid(raced) ? raced : made;
  if (chosen === made) await tx.store.put(made, 'install');
  await tx.done;
  return chosen;
}
