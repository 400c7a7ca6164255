import type { AutomationError } from './automation';

/** Stage timings rounded to whole milliseconds, for the one JSON line a swap prints. */
export function roundedMs(ms: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(ms).map(([stage, value]) => [stage, Math.round(value)]));
}

/** The one-line reason on stderr when the engine refused a target. */
export function printSwapError(target: string, { error }: AutomationError): void {
  console.error(`error: ${target}: ${error.code}: ${error.message}`);
}
