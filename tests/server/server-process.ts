import { spawn, type ChildProcess } from 'node:child_process';
import { request, Agent } from 'node:http';

/** server/main.ts in its own process (`node --import tsx`, so the pid is the server's). */
export interface ServerProcess {
  child: ChildProcess;
  url: string;
  port: number;
  /** The pids that said they listen: one, or one per instance. */
  pids: number[];
  /** Everything it printed so far. */
  output: () => string;
  exited: Promise<number | null>;
}

/** Starts the server with these variables (PORT 0 unless given) and waits until `instances` listen. */
export function startServerProcess(
  env: NodeJS.ProcessEnv,
  args: string[] = [],
  instances = 1,
): Promise<ServerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts', ...args], {
    env: { ...process.env, NODE_ENV: 'development', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const listening = new Map<number, number>();
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      for (const match of output.matchAll(/localhost:(\d+)\/api .*pid (\d+)\)/g)) {
        listening.set(Number(match[2]), Number(match[1]));
      }
      if (listening.size === instances) {
        const port = [...listening.values()][0]!;
        resolve({
          child,
          port,
          url: `http://127.0.0.1:${port}`,
          pids: [...listening.keys()],
          output: () => output,
          exited,
        });
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exited.then((code) => reject(new Error(`server exited with ${code}: ${output}`)));
  });
}

export type Outcome = { status: number; body: string } | { error: string };

/** A POST through `agent` (keep-alive connections, as a proxy or a browser holds them). */
export function post(agent: Agent, port: number, path: string, body?: unknown): Promise<Outcome> {
  return new Promise((resolve) => {
    const text = body === undefined ? undefined : JSON.stringify(body);
    const req = request(
      {
        agent,
        host: '127.0.0.1',
        port,
        path,
        method: 'POST',
        headers: text === undefined ? {} : { 'content-type': 'application/json' },
      },
      (res) => {
        let received = '';
        res.on('data', (chunk: Buffer) => (received += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode!, body: received }));
        res.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ error: error.code ?? error.message }));
    req.end(text);
  });
}
