import { BitmapCanvas } from '../components/BitmapCanvas';
import { ErrorMessage } from '../components/ErrorMessage';
import { ProgressBar } from '../components/ProgressBar';
import type { VideoContainer, VideoQuality } from '../../workers/engine/client';
import { formatTime } from './time';
import {
  canStart,
  cancelVideo,
  jobError,
  jobPaused,
  jobPreview,
  jobProgress,
  outputContainer,
  outputQuality,
  pauseVideo,
  resumeVideo,
  startVideo,
} from './video-job';
import { video } from './video-input';

/** Output container and quality. */
function OutputOptions({ disabled }: { disabled: boolean }) {
  return (
    <div class="video-options">
      <label>
        Format{' '}
        <select
          value={outputContainer.value}
          disabled={disabled}
          onChange={(event) => (outputContainer.value = event.currentTarget.value as VideoContainer)}
          data-testid="video-container"
        >
          <option value="mp4">MP4 (H.264)</option>
          <option value="webm">WebM (VP9)</option>
        </select>
      </label>
      <label>
        Quality{' '}
        <select
          value={outputQuality.value}
          disabled={disabled}
          onChange={(event) => (outputQuality.value = event.currentTarget.value as VideoQuality)}
          data-testid="video-quality"
        >
          <option value="low">Low (smallest file)</option>
          <option value="medium">Medium</option>
          <option value="high">High (largest file)</option>
        </select>
      </label>
    </div>
  );
}

/** Frames done, speed and time left of the running job, with Pause/Resume and Cancel. */
function RunningJob() {
  const progress = jobProgress.value;
  if (!progress) return null;
  const paused = jobPaused.value;
  const preview = jobPreview.value;
  const shown = paused ? { ...progress, message: `Paused: ${progress.message}` } : progress;
  return (
    <div
      class="video-job"
      data-testid="video-job"
      data-state={paused ? 'paused' : 'running'}
      data-held={paused && progress.held ? 'true' : undefined}
    >
      <div class="video-job-controls">
        <ProgressBar progress={shown} label="Video swap progress" onCancel={cancelVideo} />
        {progress.framesTotal > 0 && (
          <p class="hint" data-testid="video-stats">
            <span data-testid="frames-done">{progress.framesDone}</span> of{' '}
            <span data-testid="frames-total">{progress.framesTotal}</span> frames
            {progress.fps > 0 && `, ${progress.fps.toFixed(1)} frames per second`}
            {progress.etaS !== null &&
              Number.isFinite(progress.etaS) &&
              `, about ${formatTime(progress.etaS)} left`}
          </p>
        )}
        <button
          type="button"
          class="secondary"
          onClick={paused ? resumeVideo : pauseVideo}
          data-testid={paused ? 'resume-button' : 'pause-button'}
        >
          {paused ? 'Resume' : 'Pause'}
        </button>
      </div>
      {preview && (
        <figure class="video-frame live-preview" data-testid="video-live-preview">
          <BitmapCanvas bitmap={preview} />
          <figcaption>Latest swapped frame</figcaption>
        </figure>
      )}
    </div>
  );
}

/**
 * Output options, Start, and the running job: a bar that sticks to the bottom of the window, so the
 * progress, Pause, Cancel and the latest frame stay in view wherever the page is scrolled.
 */
export function VideoRun() {
  if (!video.value) return null;
  const running = jobProgress.value !== null;
  return (
    <section class="panel video-run action-bar" aria-labelledby="video-run-heading" data-testid="video-run">
      <div class="action-bar-head">
        <h2 id="video-run-heading">Swap the video</h2>
        <OutputOptions disabled={running} />
      </div>
      {running ? (
        <RunningJob />
      ) : (
        <button
          type="button"
          class="primary"
          disabled={!canStart.value}
          onClick={() => void startVideo()}
          data-testid="video-start"
        >
          Start
        </button>
      )}
      <ErrorMessage error={jobError.value} />
    </section>
  );
}
