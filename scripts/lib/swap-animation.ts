import { writeFileSync } from 'node:fs';
import type { AnimationRequest, AutomationSession } from './automation';
import { isAutomationError } from './automation';
import { printSwapError, roundedMs } from './cli-output';

/**
 * `npm run swap` with a GIF target and a .gif output: writes the swapped animation, prints
 * progress lines on stderr and one JSON summary line on stdout. Returns the exit status.
 */
export async function swapAnimationFile(
  session: AutomationSession,
  request: AnimationRequest,
  target: string,
  out: string,
): Promise<number> {
  const result = await session.swapAnimation(request, (progress) =>
    console.error(`progress: ${progress.message} (${Math.round(progress.fraction * 100)}%)`),
  );
  if (isAutomationError(result)) {
    printSwapError(target, result);
    return 1;
  }
  writeFileSync(out, Buffer.from(result.output, 'base64'));
  const ms = roundedMs(result.ms);
  console.log(
    JSON.stringify({
      target,
      out,
      frames: result.frames,
      framesSwapped: result.framesSwapped,
      facesTracked: result.facesTracked,
      loopCount: result.loopCount,
      width: result.width,
      height: result.height,
      backend: result.backend,
      swapper: result.swapper,
      engine: result.engine,
      provider: result.provider,
      fps: Number((result.frames / (result.ms.total / 1000)).toFixed(2)),
      matches: result.matches,
      ms,
    }),
  );
  return 0;
}
