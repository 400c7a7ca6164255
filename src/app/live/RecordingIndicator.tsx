import { useEffect, useRef, useState } from 'preact/hooks';
import { recording } from './live-state';
import './recording-indicator.css';

/** 0:07, 1:05, 1:02:03. */
export function recordingTime(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  const two = (n: number) => String(n).padStart(2, '0');
  const [h, m, s] = [Math.floor(seconds / 3600), Math.floor(seconds / 60) % 60, seconds % 60];
  return h > 0 ? `${h}:${two(m)}:${two(s)}` : `${m}:${two(s)}`;
}

/**
 * "● REC 0:07" beside the live controls while the live view is being recorded. The time is a timer
 * (not announced every second); screen readers hear, politely, only that recording started or stopped.
 */
export function RecordingIndicator() {
  const on = recording.value;
  const startedAt = useRef(0);
  const [elapsed, setElapsed] = useState(0);
  const [announcement, setAnnouncement] = useState('');
  const wasOn = useRef(false);
  useEffect(() => {
    if (on === wasOn.current) return;
    wasOn.current = on;
    setAnnouncement(on ? 'Recording started.' : 'Recording stopped.');
    if (!on) return;
    startedAt.current = performance.now();
    setElapsed(0);
    const tick = setInterval(() => setElapsed(performance.now() - startedAt.current), 250);
    return () => clearInterval(tick);
  }, [on]);
  const time = recordingTime(elapsed);
  return (
    <>
      {on && (
        <span
          class="recording-indicator"
          data-testid="recording-indicator"
          role="timer"
          aria-label={`Recording, ${time}`}
        >
          <span aria-hidden="true">● REC {time}</span>
        </span>
      )}
      <span class="visually-hidden" role="status" data-testid="recording-announcement">
        {announcement}
      </span>
    </>
  );
}
