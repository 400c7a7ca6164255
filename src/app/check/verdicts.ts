import { isMissing, type CheckReport, type CodecName, type Missing } from './probes';
import type { SpeedFacts } from './speed';

/** The speed probe's outcome: null while it runs. */
export type Speed = SpeedFacts | Missing | null;

export interface Verdict {
  feature: 'Photos' | 'Video' | 'Live' | 'Storage';
  ok: boolean;
  text: string;
}

function gib(bytes: number): string {
  return `${(bytes / 2 ** 30).toFixed(1)} GiB`;
}

/** Live frames a second from which the swap keeps up with a camera. */
export const realTimeFps = 24;

/** The speed in words: `measured` when it was measured, else why not (or that it is being measured). */
function speedWords(speed: Speed, measured: (facts: SpeedFacts) => string): string {
  if (speed === null) return 'Speed: measuring…';
  if (isMissing(speed)) return `Speed unknown: ${speed.missing}.`;
  return measured(speed);
}

function photos({ gpu, threads }: CheckReport, speed: Speed): Verdict {
  const cpu =
    threads.crossOriginIsolated && threads.wasmThreads ? 'threaded WebAssembly' : 'WebAssembly on one thread';
  const where = isMissing(gpu)
    ? `On the CPU (${cpu}): ${gpu.missing}.`
    : gpu.fallback || gpu.architecture === 'swiftshader'
      ? `On the CPU (${cpu}): the WebGPU adapter is software only.`
      : `On the GPU (WebGPU, ${gpu.vendor || 'unnamed vendor'}).`;
  const time = speedWords(speed, (s) => `~${Math.round(s.photoMs)} ms for a 640×480 photo.`);
  return { feature: 'Photos', ok: speed === null || !isMissing(speed), text: `${time} ${where}` };
}

function video({ codecs }: CheckReport, speed: Speed): Verdict {
  const rate = speedWords(speed, (s) => `720p: ~${fps(s.video720Fps)} fps (the swap alone).`);
  const both = (name: CodecName) => codecs[name].encode === true && codecs[name].decode === true;
  const outputs = [both('H.264') && 'MP4 (H.264)', both('VP9') && 'WebM (VP9)'].filter(Boolean);
  if (outputs.length === 0)
    return {
      feature: 'Video',
      ok: false,
      text: `${rate} This browser can neither encode H.264 nor VP9: no video output here.`,
    };
  return { feature: 'Video', ok: true, text: `${rate} Can write ${outputs.join(' and ')}.` };
}

/** Frames a second as shown: one decimal below 10. */
function fps(value: number): string {
  return value < 10 ? value.toFixed(1) : String(Math.round(value));
}

function live({ device }: CheckReport, speed: Speed): Verdict {
  const rate = speedWords(
    speed,
    (s) => `~${fps(s.liveFps)} fps, ${s.liveFps >= realTimeFps ? 'real time' : 'not real time'} here.`,
  );
  if (device.camera === true) return { feature: 'Live', ok: true, text: `${rate} A camera is present.` };
  const why = isMissing(device.camera) ? device.camera.missing : 'no camera found';
  return { feature: 'Live', ok: false, text: `${rate} Live needs a camera: ${why}.` };
}

function storage({ storage }: CheckReport): Verdict {
  if (isMissing(storage)) return { feature: 'Storage', ok: false, text: `Unknown: ${storage.missing}.` };
  const free = storage.quotaBytes === null ? null : storage.quotaBytes - (storage.usageBytes ?? 0);
  const kept = storage.persisted
    ? 'kept until you clear it'
    : 'may be cleared by the browser when space runs low';
  if (free === null)
    return { feature: 'Storage', ok: true, text: `Quota unknown; models and outputs ${kept}.` };
  return {
    feature: 'Storage',
    ok: free > 2 ** 30,
    text: `${gib(free)} free for models and video outputs, ${kept}.`,
  };
}

/** What each feature can do in this browser, from the report and the speed probe. */
export function verdicts(report: CheckReport, speed: Speed): Verdict[] {
  return [photos(report, speed), video(report, speed), live(report, speed), storage(report)];
}
