import { existsSync, linkSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureDataDir } from '../data-dir.ts';

/**
 * Reads a development secret from the data directory, creating it (owner-only) on first use.
 * Several processes may start at once (`--instances`): each writes its candidate to a file of its
 * own and links it into place, which succeeds for exactly one; every process then reads the winner,
 * never a file still being written.
 */
export function readOrCreateSecret(dataDir: string, name: string, create: () => string): string {
  ensureDataDir(dataDir);
  const path = join(dataDir, name);
  if (!existsSync(path)) {
    const candidate = `${path}.${process.pid}.new`;
    writeFileSync(candidate, create(), { mode: 0o600 });
    try {
      linkSync(candidate, path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      rmSync(candidate, { force: true });
    }
  }
  return readFileSync(path, 'utf8');
}
