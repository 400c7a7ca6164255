import type { LimitsData, MeasuredLimit } from '../../src/app/limits/limits-data';

/**
 * README's "Measured limits" list, written by `npm run limits` between two markers from the same
 * figures as the #/limits page (src/app/limits/limits.json), so README never holds a hand-typed limit.
 */
export const readmeLimitsMarkers = ['<!-- limits:start -->', '<!-- limits:end -->'] as const;

/** A value with its unit: "25 px", "107°", "17%". */
function figure(limit: MeasuredLimit): string {
  return /^[°%]$/.test(limit.unit) ? `${limit.value}${limit.unit}` : `${limit.value} ${limit.unit}`;
}

/** The list of limits as README shows it: one line per limit, figure first. */
export function readmeLimitsList(data: LimitsData): string {
  const lines = data.limits.map((l) => `- **${l.title}: ${figure(l)}.** ${l.summary}`);
  return [
    `Measured ${data.measured.slice(0, 10)} on ${data.backend} (the pictures are on \`#/limits\`):`,
    '',
    ...lines,
  ].join('\n');
}

/** README's text with the list between the markers replaced; throws when a marker is missing. */
export function withReadmeLimits(readme: string, data: LimitsData): string {
  const [start, end] = readmeLimitsMarkers;
  const from = readme.indexOf(start);
  const to = readme.indexOf(end);
  if (from < 0 || to < from) throw new Error(`README.md lacks the markers ${start} … ${end}`);
  return `${readme.slice(0, from + start.length)}\n\n${readmeLimitsList(data)}\n\n${readme.slice(to)}`;
}
