import { afterEach, describe, expect, it, vi } from 'vitest';
import { chooseBackend } from '../../src/workers/engine/backend';

function stubAdapter(info: Partial<GPUAdapterInfo> | null): void {
  const adapter = info && { info: { architecture: '', vendor: '', description: '', ...info } };
  vi.stubGlobal('navigator', { gpu: { requestAdapter: async () => adapter } });
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('backend choice', () => {
  it('runs WebGPU on a hardware adapter', async () => {
    stubAdapter({ vendor: 'nvidia', architecture: 'hopper' });
    expect(await chooseBackend('auto')).toMatchObject({ backend: 'webgpu', adapter: 'nvidia hopper' });
  });

  it('runs WASM on a software adapter unless WebGPU is forced', async () => {
    stubAdapter({ vendor: 'google', architecture: 'swiftshader' });
    const auto = await chooseBackend('auto');
    expect(auto.backend).toBe('wasm');
    expect(auto.reason).toMatch(/software/);
    expect((await chooseBackend('webgpu')).backend).toBe('webgpu');
  });

  it('runs WASM without an adapter, and refuses a forced WebGPU then', async () => {
    stubAdapter(null);
    expect(await chooseBackend('auto')).toMatchObject({ backend: 'wasm', adapter: null });
    await expect(chooseBackend('webgpu')).rejects.toMatchObject({ code: 'WEBGPU_UNAVAILABLE' });
    expect((await chooseBackend('wasm')).backend).toBe('wasm');
  });
});
