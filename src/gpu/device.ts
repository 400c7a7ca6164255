/** What the app shows about the adapter and uses to choose a backend. */
export interface GpuAdapterSummary {
  /** True for software adapters (SwiftShader): usable for tests, far too slow for users. */
  isFallbackAdapter: boolean;
  architecture: string;
  vendor: string;
}

export interface GpuDeviceHandle {
  adapter: GPUAdapter;
  device: GPUDevice;
  info: GpuAdapterSummary;
}

/** Summarises an adapter; SwiftShader counts as a fallback even where the flag is not set. */
export function summariseAdapter(adapter: GPUAdapter): GpuAdapterSummary {
  const { architecture, vendor, description } = adapter.info;
  const software = [architecture, vendor, description].some((text) => /swiftshader/i.test(text));
  return { isFallbackAdapter: adapter.info.isFallbackAdapter === true || software, architecture, vendor };
}

/**
 * Requests an adapter and a device with the adapter's largest buffer limits (so large images fit).
 * Returns null when the browser has no WebGPU or no adapter; a failing requestDevice rejects.
 */
export async function requestGpuDevice(
  options: GPURequestAdapterOptions = {},
  /** Features to enable where the adapter has them (e.g. 'shader-f16'). */
  wanted: readonly GPUFeatureName[] = [],
): Promise<GpuDeviceHandle | null> {
  if (typeof navigator === 'undefined' || !('gpu' in navigator) || !navigator.gpu) return null;
  const adapter = await navigator.gpu.requestAdapter(options);
  if (!adapter) return null;
  const device = await adapter.requestDevice({
    label: 'doppel',
    requiredFeatures: wanted.filter((feature) => adapter.features.has(feature)),
    requiredLimits: {
      maxBufferSize: adapter.limits.maxBufferSize,
      maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
    },
  });
  return { adapter, device, info: summariseAdapter(adapter) };
}
