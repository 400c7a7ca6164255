import { describe, expect, it } from 'vitest';
import { classifyRequest, type AuditEntry } from '../../src/shared/network-audit';
import { describeSummary, summarize } from '../../src/app/privacy/summary';

const origin = 'https://doppel.example';
let n = 0;
const entry = (url: string, extra: Partial<AuditEntry> = {}): AuditEntry => ({
  id: `1-${++n}`,
  time: 1,
  method: 'GET',
  url,
  bytesUp: 0,
  bytesDown: 100,
  source: 'cache',
  status: 200,
  initiator: 'page',
  ...extra,
});

describe('privacy summary', () => {
  it('classifies app code, model files, license checks and anything else', () => {
    expect(classifyRequest(`${origin}/assets/index.js`, origin)).toBe('app');
    expect(classifyRequest(`${origin}/wasm/tfjs-backend-wasm.wasm`, origin)).toBe('app');
    expect(classifyRequest(`${origin}/models/human/facemesh.bin`, origin)).toBe('model');
    expect(classifyRequest(`${origin}/api/license/check`, origin)).toBe('license');
    expect(classifyRequest('https://cdn.example/x.js', origin)).toBe('other');
  });

  it('says plainly what was sent and where', () => {
    const text = describeSummary(
      summarize(
        [
          entry(`${origin}/`),
          entry(`${origin}/models/human/facemesh.bin`, { source: 'network' }),
          // A photo shared to the app: answered by the service worker, it never left the device.
          entry(`${origin}/?share-target`, { method: 'POST', bytesUp: 5000 }),
        ],
        origin,
      ),
    );
    expect(text.media).toMatch(/^0 bytes of your media sent/);
    expect(text.requests).toBe(
      '3 requests since this page opened: 3 to this site (2 app files, 1 model file), 0 to anywhere else.',
    );
    const leaking = describeSummary(
      summarize(
        [entry('https://elsewhere.example/up', { method: 'POST', bytesUp: 2048, source: 'browser' })],
        origin,
      ),
    );
    expect(leaking.media).toContain('2.0 kB sent from this device');
    expect(leaking.requests).toContain('1 to anywhere else');
  });
});
