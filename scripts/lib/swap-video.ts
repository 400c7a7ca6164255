import { openSync, closeSync, rmSync, writeSync } from 'node:fs';
import type { AutomationSession, VideoAutomationRequest, VideoAutomationResult } from './automation';
import { isAutomationError } from './automation';
import { printSwapError, roundedMs } from './cli-output';

/** Bytes copied out of the page per call: the finished video never crosses whole. */
const slice = 8 * 1024 * 1024;

/** The page fetches the target from here; the route answers with the file. */
const targetPath = '/__doppel-cli/target';

/** Copies the finished video out of OPFS into `out`, slice by slice. */
async function copyOut(session: AutomationSession, name: string, out: string): Promise<void> {
  const fd = openSync(out, 'w');
  let complete = false;
  try {
    for (let offset = 0; ; offset += slice) {
      const { size, data } = await session.page.evaluate(
        ([n, o, l]) => window.doppel.readVideoOutput(n, o, l),
        [name, offset, slice] as const,
      );
      writeSync(fd, Buffer.from(data, 'base64'));
      if (offset + slice >= size) break;
    }
    complete = true;
  } finally {
    closeSync(fd);
    if (!complete) rmSync(out, { force: true });
  }
}

function summary(target: string, out: string, result: VideoAutomationResult) {
  const ms = roundedMs(result.ms);
  return {
    target,
    out,
    frames: result.frames,
    framesSwapped: result.framesSwapped,
    facesTracked: result.facesTracked,
    matches: result.matches,
    audioKept: result.audioKept,
    durationS: Number(result.durationS.toFixed(3)),
    frameRate: Number(result.frameRate.toFixed(3)),
    fps: Number(result.fps.toFixed(2)),
    mimeType: result.mimeType,
    bytes: result.bytes,
    backend: result.backend,
    swapper: result.swapper,
    engine: result.engine,
    provider: result.provider,
    ms,
  };
}

/**
 * `npm run swap` with a video target: the page fetches the file (served by a route, read in
 * slices there), the worker writes the result into OPFS, and it is copied into `out`. Progress
 * lines go to stderr, one JSON summary line to stdout. Returns the exit status.
 */
export async function swapVideoFile(
  session: AutomationSession,
  request: Omit<VideoAutomationRequest, 'video' | 'outputName'>,
  target: string,
  out: string,
): Promise<number> {
  await session.page.route(`**${targetPath}`, (route) =>
    route.fulfill({ path: target, contentType: 'application/octet-stream' }),
  );
  const outputName = `cli-${Date.now()}.${request.container}`;
  const result = await session.swapVideo({ ...request, outputName, video: { url: targetPath } }, (p) =>
    console.error(
      `progress: ${p.message} (${Math.round(p.fraction * 100)}%), ${p.fps.toFixed(1)} fps` +
        (p.etaS === null ? '' : `, ${Math.ceil(p.etaS)} s left`),
    ),
  );
  if (isAutomationError(result)) {
    printSwapError(target, result);
    return 1;
  }
  try {
    await copyOut(session, outputName, out);
  } finally {
    await session.page.evaluate((n) => window.doppel.removeVideoOutput(n), outputName);
  }
  console.log(JSON.stringify(summary(target, out, result)));
  return 0;
}
