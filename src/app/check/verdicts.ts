import { isMissing, type CheckReport, type CodecName } from './probes';

export interface Verdict {
  feature: 'Photos' | 'Video' | 'Live' | 'Storage';
  ok: boolean;
  text: string;
}

function gib(bytes: number): string {
  return `${(bytes / 2 ** 30).toFixed(1)} GiB`;
}

function photos({ gpu, threads }: CheckReport): Verdict {
  const cpu =
    threads.crossOriginIsolated && threads.wasmThreads ? 'threaded WebAssembly' : 'WebAssembly on one thread';
  if (isMissing(gpu)) return { feature: 'Photos', ok: true, text: `On the CPU (${cpu}): ${gpu.missing}.` };
  if (gpu.fallback || gpu.architecture === 'swiftshader')
    return { feature: 'Photos', ok: true, text: `On the CPU (${cpu}): the WebGPU adapter is software only.` };
  return { feature: 'Photos', ok: true, text: `On the GPU (WebGPU, ${gpu.vendor || 'unnamed vendor'}).` };
}

function video({ codecs }: CheckReport): Verdict {
  const both = (name: CodecName) => codecs[name].encode === true && codecs[name].decode === true;
  const outputs = [both('H.264') && 'MP4 (H.264)', both('VP9') && 'WebM (VP9)'].filter(Boolean);
  if (outputs.length === 0)
    return {
      feature: 'Video',
      ok: false,
      text: 'This browser can neither encode H.264 nor VP9: no video output here.',
    };
  return { feature: 'Video', ok: true, text: `Can write ${outputs.join(' and ')}.` };
}

function live({ device }: CheckReport): Verdict {
  if (device.camera === true) return { feature: 'Live', ok: true, text: 'A camera is present.' };
  const why = isMissing(device.camera) ? device.camera.missing : 'no camera found';
  return { feature: 'Live', ok: false, text: `Live needs a camera: ${why}.` };
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

/** What each feature can do in this browser, from the report. */
export function verdicts(report: CheckReport): Verdict[] {
  return [photos(report), video(report), live(report), storage(report)];
}
