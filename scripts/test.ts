import { spawnSync } from 'node:child_process';

/** README's test command: type-check, lint, unit tests, server tests, production build, then browser tests. */
const steps: [string, string[]][] = [
  ['type-check', ['npm', 'run', 'typecheck']],
  ['lint', ['npm', 'run', 'lint']],
  ['unit tests', ['npx', 'vitest', 'run', '--project', 'unit']],
  ['server tests', ['npx', 'vitest', 'run', '--project', 'server']],
  ['build', ['npx', 'vite', 'build', '--logLevel', 'warn']],
  ['browser tests', ['npx', 'vitest', 'run', '--project', 'browser']],
];

for (const [name, [command, ...args]] of steps) {
  console.log(`\n== ${name}: ${[command, ...args].join(' ')}`);
  const started = Date.now();
  const result = spawnSync(command as string, args, { stdio: 'inherit' });
  console.log(
    `== ${name}: ${result.status === 0 ? 'ok' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(0)} s`,
  );
  if (result.status !== 0) process.exit(result.status ?? 1);
}
