import { describe, expect, test } from 'vitest';
import { likenessArgs } from '../../scripts/lib/likeness-args';

describe('npm run swap: the likeness flags', () => {
  test('reference mode by a target face, with a threshold', () => {
    expect(likenessArgs({ reference: '2', threshold: '0.7' }, false)).toEqual({
      request: { reference: { targetFace: 2 }, threshold: 0.7 },
    });
  });

  test('reference photo, and face mapping with more source photos', () => {
    expect(likenessArgs({ 'reference-photo': 'me.jpg' }, false)).toEqual({
      request: { referencePhoto: 'me.jpg', threshold: undefined },
    });
    expect(likenessArgs({ map: '0:1,2:0', 'map-sources': 'b.jpg,c.jpg' }, false)).toEqual({
      request: {
        map: [
          [0, 1],
          [2, 0],
        ],
        mapSources: ['b.jpg', 'c.jpg'],
        threshold: undefined,
      },
    });
  });

  test('no likeness flag: nothing asked', () => {
    expect(likenessArgs({}, true)).toEqual({});
  });

  test.each([
    [{ reference: 'one' }, '--reference must be a target face index like 0'],
    [{ reference: '-1' }, '--reference must be a target face index like 0'],
    [{ reference: '0', threshold: '1.5' }, '--threshold must be a number from 0 to 1'],
    [{ reference: '0', threshold: '' }, '--threshold must be a number from 0 to 1'],
    [{ map: '0-1' }, '--map must be target:source face pairs like 0:1,2:0'],
    [{ map: '0:1,0:2' }, '--map lists a target face twice: give each target face one source face'],
    [{ reference: '0', map: '0:1' }, '--reference, --reference-photo and --map exclude each other: give one'],
    [{ threshold: '0.5' }, '--threshold needs --reference, --reference-photo or --map'],
    [{ reference: '0', 'map-sources': 'b.jpg' }, '--map-sources needs --map'],
  ])('%j is refused: %s', (flags, error) => {
    expect(likenessArgs(flags, false)).toEqual({ error });
  });

  test('--faces and a likeness flag exclude each other', () => {
    expect(likenessArgs({ reference: '0' }, true)).toEqual({
      error: '--faces cannot be combined with --reference, --reference-photo or --map',
    });
  });
});
