import { createLogger, loadConfigFromFile, type Logger } from 'vite';
import { describe, expect, it } from 'vitest';

/**
 * `npm start` prints only the warnings that matter. Vite bundles vite.config.ts and what it imports to
 * load it, and warns about every import that its coming native config loader could not follow (an
 * import without its file extension, `__dirname`, …): the config and its imports avoid them.
 */
describe('npm start output', () => {
  it('loading the Vite config warns about nothing', async () => {
    const warnings: string[] = [];
    const base = createLogger('warn');
    const logger: Logger = {
      ...base,
      warn: (message) => warnings.push(message),
      warnOnce: (m) => warnings.push(m),
    };
    const loaded = await loadConfigFromFile(
      { command: 'build', mode: 'production' },
      undefined,
      process.cwd(),
      'warn',
      logger,
    );
    expect(loaded?.path).toMatch(/vite\.config\.ts$/);
    expect(warnings).toEqual([]);
  });
});
