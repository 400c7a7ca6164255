import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { imageSize } from 'image-size';
import { afterAll, describe, expect, it } from 'vitest';
import { fingerprintSources, limitsFingerprint } from '../../scripts/lib/limits-fingerprint';
import type { LimitId, LimitsData } from '../../src/app/limits/limits-data';

/**
 * The measured limits are the current engine's: the fingerprint stored with them by `npm run limits`
 * is the fingerprint of the sources now, and every limit's picture is there and small.
 */

const data = JSON.parse(readFileSync('src/app/limits/limits.json', 'utf8')) as LimitsData;
const ids: LimitId[] = [
  'smallest-face',
  'largest-roll',
  'largest-yaw',
  'occlusion',
  'most-faces',
  'largest-image',
  'longest-video',
];

describe('the measured limits (src/app/limits/limits.json)', () => {
  it('were measured on the current engine', () => {
    expect(
      data.fingerprint,
      'The engine, its models or the sweeps changed since the limits were measured: run `npm run limits` and commit src/app/limits.',
    ).toBe(limitsFingerprint());
  });

  it('hold each limit once, with a number and a small JPEG picture', () => {
    expect(data.limits.map((l) => l.id).sort()).toEqual([...ids].sort());
    let bytes = 0;
    for (const limit of data.limits) {
      expect(Number.isFinite(limit.value), limit.id).toBe(true);
      const picture = readFileSync(join('src/app/limits/pictures', limit.picture));
      expect(imageSize(picture), limit.id).toMatchObject({ type: 'jpg' });
      bytes += picture.length;
    }
    expect(bytes).toBeLessThan(256 * 1024);
    expect(readdirSync('src/app/limits/pictures').sort()).toEqual(data.limits.map((l) => l.picture).sort());
    expect(Date.parse(data.measured)).not.toBeNaN();
  });
});

describe('limitsFingerprint', () => {
  const root = mkdtempSync(join(tmpdir(), 'doppel-fingerprint-'));
  for (const path of fingerprintSources) cpSync(path, join(root, path), { recursive: true });
  symlinkSync(resolve('node_modules'), join(root, 'node_modules'));

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('changes with an engine source file, not with its line endings', () => {
    const before = limitsFingerprint(root);
    expect(before).toBe(limitsFingerprint());
    const file = join(root, 'src/gpu/profile.ts');
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.replace(/\n/g, '\r\n'));
    expect(limitsFingerprint(root)).toBe(before);
    writeFileSync(file, text.replace('YAW_LIMIT_DEG = 70', 'YAW_LIMIT_DEG = 80'));
    expect(limitsFingerprint(root)).not.toBe(before);
  });

  it('changes with a new file in an engine folder', () => {
    const before = limitsFingerprint(root);
    const added = join(root, 'src/workers/engine/new-stage.ts');
    cpSync(join(root, 'src/gpu/profile.ts'), added);
    expect(limitsFingerprint(root)).not.toBe(before);
    rmSync(added);
  });
});
