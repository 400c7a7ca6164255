import { figures, readerKind } from './live-state';

const readerNames = {
  'track-processor': 'MediaStreamTrackProcessor',
  'video-frame-callback': 'requestVideoFrameCallback',
};

/** Frames per second, latency and dropped frames of the running camera. */
export function LiveFiguresView() {
  const shown = figures.value;
  if (!shown) return null;
  const kind = readerKind.value;
  return (
    <dl class="live-figures" data-testid="live-figures" aria-live="off">
      <dt>Frames per second</dt>
      <dd data-testid="live-fps">{shown.fps}</dd>
      <dt>Latency (camera to screen), median</dt>
      <dd data-testid="live-latency">{shown.latencyMs} ms</dd>
      <dt>Latency, 95th percentile</dt>
      <dd data-testid="live-latency-p95">{shown.latencyP95Ms} ms</dd>
      <dt>Swap time per frame</dt>
      <dd>{shown.workerMs} ms</dd>
      <dt>Frames shown</dt>
      <dd data-testid="live-frames">{shown.frames}</dd>
      <dt>Frames dropped (engine busy)</dt>
      <dd data-testid="live-dropped">{shown.dropped}</dd>
      <dt>Faces swapped</dt>
      <dd data-testid="live-faces">{shown.faces}</dd>
      {kind && (
        <>
          <dt>Frames read with</dt>
          <dd data-testid="live-reader">{readerNames[kind]}</dd>
        </>
      )}
    </dl>
  );
}
