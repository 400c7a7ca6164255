import { afterAll, beforeAll } from 'vitest';
import { AutomationSession, isAutomationError } from '../../scripts/lib/automation';

/**
 * One automation session on the WASM backend (the CPU reference kernels) for a test file: started
 * before its tests, closed after them. Returns the session's getter.
 */
export function useWasmSession(): () => AutomationSession {
  let session: AutomationSession | undefined;
  beforeAll(async () => {
    session = await AutomationSession.start('wasm');
  });
  afterAll(async () => {
    await session?.close();
  });
  return () => session!;
}

/** The engine's analysis of a photo (base64); an engine error throws with its code. */
export async function analyzeOrThrow(session: AutomationSession, b64: string) {
  const analysed = await session.analyze(b64);
  if (isAutomationError(analysed)) throw new Error(analysed.error.code);
  return analysed;
}
