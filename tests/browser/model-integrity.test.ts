import { expect, test } from 'vitest';
import { AutomationSession, AutomationStartError, isAutomationError } from '../../scripts/lib/automation';
import { sampleBase64 } from '../fixtures/samples';

test('a model file that does not match its SHA-256 in the manifest is refused with MODEL_CORRUPT', async () => {
  let served = 0;
  const start = AutomationSession.start('wasm', async (page) => {
    await page.route('**/models/human/facemesh.bin', async (route) => {
      served++;
      const response = await route.fetch();
      const body = Buffer.from(await response.body());
      body[1000] = (body[1000]! + 1) % 256;
      await route.fulfill({ response, body });
    });
  });
  const error = await start.then(
    async (session) => {
      await session.close();
      return null;
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AutomationStartError);
  expect((error as AutomationStartError).code).toBe('MODEL_CORRUPT');
  expect(served).toBe(2);
});

test('the face and hand models run from the bytes that were verified: each file is fetched once, so a copy that changes afterwards never runs', async () => {
  const served = new Map<string, number>();
  const session = await AutomationSession.start('wasm', async (page) => {
    await page.route('**/models/human/*', async (route) => {
      const name = new URL(route.request().url()).pathname.split('/').pop()!;
      served.set(name, (served.get(name) ?? 0) + 1);
      const response = await route.fetch();
      const body = Buffer.from(await response.body());
      // Any later delivery of a weights file is damaged: running it would break the analysis.
      if (served.get(name)! > 1 && name.endsWith('.bin')) body.fill(0x7f, 0, body.length >> 1);
      await route.fulfill({ response, body });
    });
  });
  try {
    const analysed = await session.analyze(sampleBase64(1));
    if (isAutomationError(analysed)) throw new Error(analysed.error.code);
    expect(analysed.faces).toHaveLength(3);
    expect(Object.fromEntries(served)).toEqual({
      'blazeface.json': 1,
      'blazeface.bin': 1,
      'facemesh.json': 1,
      'facemesh.bin': 1,
      'iris.json': 1,
      'iris.bin': 1,
      'handtrack.json': 1,
      'handtrack.bin': 1,
      'handlandmark-lite.json': 1,
      'handlandmark-lite.bin': 1,
    });
  } finally {
    await session.close();
  }
});
