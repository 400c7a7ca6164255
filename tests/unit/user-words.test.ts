import { describe, expect, it } from 'vitest';
import { otherRoleWords, unreadableWords } from '../../src/app/models/model-file-words';
import { lockReason, type Feature } from '../../src/app/state/entitlements';

const bytes = (text: string, ...lead: number[]) =>
  new Uint8Array([...lead, ...Array.from(text, (c) => c.charCodeAt(0))]);

describe('model files refused in user words', () => {
  it('names what the file is and what was expected, never the reader internals', () => {
    const cases: [Uint8Array, RegExp][] = [
      [bytes('\u0003\u0004rest', 0x50, 0x4b), /is an archive/],
      [bytes('<!DOCTYPE html><html>'), /is a web page \(HTML\)/],
      [bytes('version https://git-lfs.github.com/spec/v1\noid sha256:'), /Git LFS pointer/],
      [bytes('JFIF', 0xff, 0xd8, 0xff, 0xe0), /is a picture or document/],
      [bytes('ctorch', 0x80, 0x02), /PyTorch checkpoint/],
      [bytes('xxxxx', 0x3e, 0x0f), /is not an ONNX model/],
    ];
    for (const [file, says] of cases) {
      const words = unreadableWords('model.onnx', file, false);
      expect(words).toMatch(says);
      expect(words).toMatch(/expected an ONNX model file \(\.onnx\)/);
      expect(words).not.toMatch(/wire type|varint/);
    }
  });

  it('says an ONNX file that ends early is cut short, with its size', () => {
    const cut = new Uint8Array(3000);
    cut[0] = 0x08;
    expect(unreadableWords('inswapper_128.onnx', cut, true)).toMatch(
      /^inswapper_128\.onnx is an ONNX model that is cut short: it stops after 3 kB/,
    );
    expect(unreadableWords('empty.onnx', new Uint8Array(0), false)).toMatch(/empty \(0 bytes\)/);
  });

  it('says which role a model fits when another was chosen', () => {
    expect(otherRoleWords('w600k_r50.onnx', 'swapper', 'embedder')).toMatch(
      /^w600k_r50\.onnx is a face identity model \(embedder\), not a face swapper \(swapper, such as inswapper_128\.onnx\)\. Choose "embedder"/,
    );
  });
});

describe('locked features', () => {
  it('reads as English for every feature (the verb agrees with its subject)', () => {
    const features: Feature[] = ['neural-engine', 'video', 'gif', 'live-camera', 'batch-cli'];
    const reasons = features.map((f) => lockReason(f));
    expect(reasons).toEqual([
      expect.stringMatching(/^The neural engine needs the free trial or Pro/),
      expect.stringMatching(/^Video swaps need the free trial or Pro/),
      expect.stringMatching(/^GIF swaps need the free trial or Pro/),
      expect.stringMatching(/^The live camera needs the free trial or Pro/),
      expect.stringMatching(/^The batch command line needs the free trial or Pro/),
    ]);
    expect(lockReason('image-swap')).toBeNull();
  });
});
