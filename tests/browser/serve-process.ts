import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPreview } from '../../scripts/lib/preview';

export interface ServeProcess {
  url: string;
  dataDir: string;
  stop(): void;
}

/**
 * What `npm start` runs (scripts/serve.ts, with --no-build after building dist/ when it is stale), on
 * a free port and a new data directory; `stop` ends it and removes the directory.
 */
export async function startServe(name: string): Promise<ServeProcess> {
  const { server } = await startPreview();
  await server.close();
  const dataDir = mkdtempSync(join(tmpdir(), `doppel-${name}-`));
  // Its own process group, so stopping it also stops tsx's node child.
  const child = spawn('node_modules/.bin/tsx', ['scripts/serve.ts', '--no-build'], {
    env: { ...process.env, PORT: '0', DOPPEL_DATA_DIR: dataDir, NODE_ENV: 'development' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const stop = () => {
    if (child.pid && child.exitCode === null) process.kill(-child.pid, 'SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let output = '';
      const read = (chunk: Buffer) => {
        output += chunk.toString();
        const found = /running at (http:\/\/localhost:\d+)\//.exec(output);
        if (found) resolve(found[1] as string);
      };
      child.stdout?.on('data', read);
      child.stderr?.on('data', read);
      child.once('exit', (code) => reject(new Error(`npm start exited with ${code}: ${output}`)));
    });
    return { url, dataDir, stop };
  } catch (error) {
    stop();
    throw error;
  }
}
