import { formatBytes, formatTime } from './time';
import { video } from './video-input';

/** What the opened video holds: duration, size, frame rate, codecs, sound. */
export function VideoFacts() {
  const opened = video.value;
  if (!opened) return null;
  const { info, file } = opened;
  const facts: [string, string][] = [
    ['Duration', formatTime(info.durationS)],
    ['Size', `${info.width}×${info.height}`],
    ['Frame rate', `${info.frameRate.toFixed(2)} fps (${info.frames} frames)`],
    ['Video', `${info.videoCodec ?? 'not decodable here'} in ${info.container}`],
    ['Audio', info.audioCodec ? `yes (${info.audioCodec})` : 'no'],
    ['File', formatBytes(file.size)],
  ];
  return (
    <dl class="video-facts" data-testid="video-facts">
      {facts.map(([term, value]) => (
        <div key={term}>
          <dt>{term}</dt>
          <dd data-fact={term.toLowerCase().replace(' ', '-')}>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
