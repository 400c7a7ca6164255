import { describe, expect, test } from 'vitest';
import type { Rolldown } from 'vite';
import { harnessFiles } from '../../scripts/test-harness';

/** Which files of a build are the test harness's alone (moved out of dist/ by the build). */

const chunk = (
  fileName: string,
  name: string,
  isEntry: boolean,
  imports: string[],
  dynamicImports: string[] = [],
) => ({ type: 'chunk', fileName, name, isEntry, imports, dynamicImports }) as unknown as Rolldown.OutputChunk;
const asset = (fileName: string) => ({ type: 'asset', fileName }) as unknown as Rolldown.OutputAsset;

function bundle(...files: (Rolldown.OutputChunk | Rolldown.OutputAsset)[]): Rolldown.OutputBundle {
  return Object.fromEntries(files.map((file) => [file.fileName, file]));
}

describe('harnessFiles', () => {
  test('the harness page and the chunks only it loads; chunks the app or verify page load stay', () => {
    const files = bundle(
      asset('index.html'),
      asset('automation.html'),
      asset('verify.html'),
      chunk('assets/main.js', 'main', true, ['assets/shared.js'], ['assets/lazy.js']),
      chunk('assets/verify.js', 'verify', true, ['assets/verify-only.js']),
      chunk('assets/automation.js', 'automation', true, [
        'assets/shared.js',
        'assets/verify-only.js',
        'assets/own.js',
      ]),
      chunk('assets/shared.js', 'shared', false, []),
      chunk('assets/lazy.js', 'lazy', false, []),
      chunk('assets/verify-only.js', 'verify-only', false, []),
      chunk('assets/own.js', 'own', false, [], ['assets/own-lazy.js']),
      chunk('assets/own-lazy.js', 'own-lazy', false, []),
    );
    expect(harnessFiles(files).sort()).toEqual(
      ['automation.html', 'assets/automation.js', 'assets/own.js', 'assets/own-lazy.js'].sort(),
    );
  });

  test('a build without the harness moves nothing', () => {
    expect(harnessFiles(bundle(asset('index.html'), chunk('assets/main.js', 'main', true, [])))).toEqual([]);
  });
});
