/**
 * What this browser can do, measured in it: each probe resolves (never rejects) to plain JSON, and
 * a missing API is reported as missing. Nothing here names the device or the person: no adapter
 * description, no camera label or id, no user agent.
 */

/** A probe that could not run: why, in words. */
export interface Missing {
  missing: string;
}

export interface GpuFacts {
  vendor: string;
  architecture: string;
  fallback: boolean;
  features: { 'shader-f16': boolean; 'timestamp-query': boolean };
  limits: {
    maxBufferSize: number;
    maxStorageBufferBindingSize: number;
    maxTextureDimension2D: number;
    maxComputeWorkgroupStorageSize: number;
  };
}

export interface ThreadFacts {
  crossOriginIsolated: boolean;
  sharedArrayBuffer: boolean;
  hardwareConcurrency: number | null;
  wasmSimd: boolean;
  wasmThreads: boolean;
}

export type CodecName = 'H.264' | 'VP9' | 'AV1';
export type CodecFacts = Record<CodecName, { encode: boolean | Missing; decode: boolean | Missing }>;

export interface StorageFacts {
  quotaBytes: number | null;
  usageBytes: number | null;
  persisted: boolean | null;
}

export interface DeviceFacts {
  /** navigator.deviceMemory: GiB, rounded by the browser; null where the browser does not say. */
  memoryGiB: number | null;
  camera: boolean | Missing;
}

export interface CheckReport {
  gpu: GpuFacts | Missing;
  threads: ThreadFacts;
  codecs: CodecFacts;
  storage: StorageFacts | Missing;
  device: DeviceFacts;
}

const reason = (error: unknown) => ({ missing: error instanceof Error ? error.message : String(error) });

/** Runs `probe`, turning a throw into { missing }. */
async function safely<T>(probe: () => Promise<T | Missing>): Promise<T | Missing> {
  try {
    return await probe();
  } catch (error) {
    return reason(error);
  }
}

async function gpu(): Promise<GpuFacts | Missing> {
  if (!('gpu' in navigator) || !navigator.gpu) return { missing: 'no WebGPU (navigator.gpu)' };
  const adapter = await navigator.gpu.requestAdapter();
  if (!adapter) return { missing: 'WebGPU has no adapter here' };
  const info = adapter.info;
  const { limits } = adapter;
  return {
    vendor: info.vendor,
    architecture: info.architecture,
    fallback: (info as GPUAdapterInfo & { isFallbackAdapter?: boolean }).isFallbackAdapter ?? false,
    features: {
      'shader-f16': adapter.features.has('shader-f16'),
      'timestamp-query': adapter.features.has('timestamp-query'),
    },
    limits: {
      maxBufferSize: limits.maxBufferSize,
      maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
      maxTextureDimension2D: limits.maxTextureDimension2D,
      maxComputeWorkgroupStorageSize: limits.maxComputeWorkgroupStorageSize,
    },
  };
}

/** Modules that validate only with SIMD (i8x16.popcnt) and with threads (shared memory, an atomic load). */
const simdModule = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98,
  11,
]);
const threadsModule = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 5, 4, 1, 3, 1, 1, 10, 11, 1, 9, 0, 65, 0, 254,
  16, 2, 0, 26, 11,
]);

function validates(module: Uint8Array<ArrayBuffer>): boolean {
  try {
    return typeof WebAssembly === 'object' && WebAssembly.validate(module);
  } catch {
    return false;
  }
}

function threads(): ThreadFacts {
  return {
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
    sharedArrayBuffer: typeof SharedArrayBuffer === 'function',
    hardwareConcurrency: navigator.hardwareConcurrency || null,
    wasmSimd: validates(simdModule),
    wasmThreads: validates(threadsModule),
  };
}

/** Codec strings for 1280×720 at 30 fps: H.264 High 3.1, VP9 profile 0, AV1 main 8-bit. */
const codecStrings: Record<CodecName, string> = {
  'H.264': 'avc1.64001f',
  VP9: 'vp09.00.31.08',
  AV1: 'av01.0.05M.08',
};

async function codecs(): Promise<CodecFacts> {
  const size = { width: 1280, height: 720 };
  const entries = await Promise.all(
    (Object.keys(codecStrings) as CodecName[]).map(async (name) => {
      const codec = codecStrings[name];
      const encode = await safely(async () => {
        if (typeof VideoEncoder !== 'function') return { missing: 'no WebCodecs VideoEncoder' };
        const config = { codec, ...size, bitrate: 2_000_000, framerate: 30 };
        return (await VideoEncoder.isConfigSupported(config)).supported === true;
      });
      const decode = await safely(async () => {
        if (typeof VideoDecoder !== 'function') return { missing: 'no WebCodecs VideoDecoder' };
        const config = { codec, codedWidth: size.width, codedHeight: size.height };
        return (await VideoDecoder.isConfigSupported(config)).supported === true;
      });
      return [name, { encode, decode }] as const;
    }),
  );
  return Object.fromEntries(entries) as CodecFacts;
}

async function storage(): Promise<StorageFacts | Missing> {
  if (!navigator.storage?.estimate) return { missing: 'no StorageManager' };
  const estimate = await navigator.storage.estimate();
  const persisted = navigator.storage.persisted ? await navigator.storage.persisted() : null;
  return { quotaBytes: estimate.quota ?? null, usageBytes: estimate.usage ?? null, persisted };
}

/** Whether a camera is there, without asking for it: only the count of video inputs is kept. */
async function camera(): Promise<boolean | Missing> {
  if (!navigator.mediaDevices?.enumerateDevices) return { missing: 'no MediaDevices' };
  const devices = await navigator.mediaDevices.enumerateDevices();
  return devices.some((d) => d.kind === 'videoinput');
}

/** Measures this browser. Never rejects. */
export async function runChecks(): Promise<CheckReport> {
  const [gpuFacts, codecFacts, storageFacts, cameraFact] = await Promise.all([
    safely(gpu),
    codecs(),
    safely(storage),
    safely(camera),
  ]);
  const memory = (navigator as Navigator & { deviceMemory?: number }).deviceMemory;
  return {
    gpu: gpuFacts,
    threads: threads(),
    codecs: codecFacts,
    storage: storageFacts,
    device: { memoryGiB: typeof memory === 'number' ? memory : null, camera: cameraFact },
  };
}

export function isMissing(value: unknown): value is Missing {
  return typeof value === 'object' && value !== null && 'missing' in value;
}
