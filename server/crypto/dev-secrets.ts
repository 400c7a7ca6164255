import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureDataDir } from '../data-dir';

/** Reads a development secret from the data directory, creating it (owner-only) on first use. */
export function readOrCreateSecret(dataDir: string, name: string, create: () => string): string {
  ensureDataDir(dataDir);
  const path = join(dataDir, name);
  if (!existsSync(path)) writeFileSync(path, create(), { mode: 0o600, flag: 'wx' });
  return readFileSync(path, 'utf8');
}
