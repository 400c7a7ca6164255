import { expect, test } from 'vitest';
import { AutomationSession, AutomationStartError } from '../../scripts/lib/automation';

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
