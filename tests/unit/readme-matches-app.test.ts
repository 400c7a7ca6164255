import { readFileSync } from 'node:fs';
import { describe, expect, test, vi } from 'vitest';
import { withReadmeLimits } from '../../scripts/lib/readme-limits';
import type { LimitsData } from '../../src/app/limits/limits-data';
import { errorCatalogue } from '../../src/shared/errors';

/** README says what the app has: its screens, its error codes and its measured limits. */
const readme = readFileSync('README.md', 'utf8');

describe('README matches the app', () => {
  test("the error table lists exactly the catalogue's codes", () => {
    const start = readme.indexOf('\n## Errors');
    const end = readme.indexOf('\n## ', start + 1);
    const codes = [...readme.slice(start, end).matchAll(/^\| `([A-Z_]+)` +\|/gm)].map((m) => m[1]);
    expect(codes.sort()).toEqual(Object.keys(errorCatalogue).sort());
  });

  test('the screen list names every screen with its address', async () => {
    vi.stubGlobal('location', { hash: '' }); // the navigation module reads the address when loaded
    const { screenIds } = await import('../../src/app/screens/navigation');
    const paragraph = readme.slice(readme.indexOf('**Screens.**'), readme.indexOf('**Settings**'));
    const named = [...paragraph.matchAll(/\(`#\/([a-z]+)`\)/g)].map((m) => m[1]);
    expect(named).toEqual([...screenIds]);
  });

  test('the measured limits are the figures of src/app/limits/limits.json', () => {
    const data = JSON.parse(readFileSync('src/app/limits/limits.json', 'utf8')) as LimitsData;
    expect(withReadmeLimits(readme, data), 'run `npm run limits` to write README.md').toBe(readme);
  });
});
