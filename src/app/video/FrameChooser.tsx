import { DoppelError } from '../../shared/errors';
import { BitmapCanvas } from '../components/BitmapCanvas';
import { ErrorMessage } from '../components/ErrorMessage';
import { FaceThumb } from '../components/FaceThumb';
import { framePreview, previewError, previewFrame, previewing } from './frame-preview';
import { formatTime } from './time';
import { jobProgress } from './video-job';
import {
  chosenFaces,
  frame,
  frameError,
  frameLoading,
  loadFrame,
  toggleVideoFace,
  trim,
  video,
} from './video-input';

const noFace = new DoppelError(
  'NO_FACE_FOUND',
  'No face was found in this frame. Move the start to a frame where the face is visible and at least 40 pixels wide.',
);

/** Trim start (the frame the faces are chosen on) and end, as sliders stepping one frame. */
function TrimRange() {
  const opened = video.value;
  if (!opened) return null;
  const { durationS, frameRate } = opened.info;
  const step = frameRate > 0 ? 1 / frameRate : 0.01;
  const { startS, endS } = trim.value;
  const locked = jobProgress.value !== null;
  return (
    <div class="trim" role="group" aria-label="Part of the video to swap">
      <label>
        Start (faces are chosen on this frame):{' '}
        <output data-testid="trim-start-value">{formatTime(startS)}</output>
        <input
          type="range"
          min={0}
          max={Math.max(0, durationS - step)}
          step={step}
          value={startS}
          disabled={locked}
          data-testid="trim-start"
          onInput={(event) => {
            const value = Number(event.currentTarget.value);
            trim.value = { startS: value, endS: Math.max(endS, value + step) };
          }}
          onChange={(event) => void loadFrame(Number(event.currentTarget.value))}
        />
      </label>
      <label>
        End: <output data-testid="trim-end-value">{formatTime(endS)}</output>
        <input
          type="range"
          min={step}
          max={durationS}
          step={step}
          value={endS}
          disabled={locked}
          data-testid="trim-end"
          onInput={(event) => {
            const value = Math.max(Number(event.currentTarget.value), startS + step);
            trim.value = { startS, endS: Math.min(value, durationS) };
          }}
        />
      </label>
    </div>
  );
}

/** The faces of the trim-start frame: all chosen by default, each a toggle. */
function FrameFaces() {
  const shown = frame.value;
  if (!shown) return null;
  if (shown.faces.length === 0) return <ErrorMessage error={noFace} />;
  const chosen = chosenFaces.value;
  return (
    <div class="face-picker">
      <p class="hint" id="video-faces-hint">
        Choose the faces to replace ({chosen.length} of {shown.faces.length} chosen); they are followed
        through the video.
      </p>
      <ul
        class="faces"
        aria-label="Faces in this frame"
        aria-describedby="video-faces-hint"
        data-testid="video-faces"
      >
        {shown.faces.map((face) => (
          <li key={`${shown.imageId}-${face.index}`}>
            <FaceThumb
              bitmap={face.thumbnail}
              label={`Video face ${face.index + 1}`}
              pressed={chosen.includes(face.index)}
              onToggle={() => toggleVideoFace(face.index)}
            />
          </li>
        ))}
      </ul>
    </div>
  );
}

/** The trim-start frame, or that frame before and after a one-frame swap. */
function FrameView() {
  const shown = frame.value;
  const preview = framePreview.value;
  if (!shown) return null;
  if (!preview)
    return (
      <figure class="video-frame" data-testid="video-frame">
        <BitmapCanvas bitmap={shown.image} />
        <figcaption>Frame at {formatTime(shown.timeS)}</figcaption>
      </figure>
    );
  return (
    <div class="side-by-side" data-testid="video-frame-preview">
      <figure class="video-frame">
        <BitmapCanvas bitmap={preview.before} />
        <figcaption>Before</figcaption>
      </figure>
      <figure class="video-frame" data-testid="video-frame-after">
        <BitmapCanvas bitmap={preview.after} />
        <figcaption>After (this frame swapped alone)</figcaption>
      </figure>
    </div>
  );
}

/** Trim range, the frame the faces are chosen on, its faces, and a one-frame preview. */
export function FrameChooser() {
  if (!video.value) return null;
  return (
    <section class="panel frame-chooser" aria-labelledby="frame-heading">
      <h2 id="frame-heading">Frame and faces</h2>
      <TrimRange />
      {frameLoading.value && (
        <p class="hint" role="status">
          Finding the faces in this frame…
        </p>
      )}
      <ErrorMessage error={frameError.value} />
      <FrameView />
      <FrameFaces />
      <div class="frame-actions">
        <button
          type="button"
          disabled={!frame.value || previewing.value || frameLoading.value}
          onClick={() => void previewFrame()}
          data-testid="preview-frame"
        >
          {previewing.value ? 'Swapping this frame…' : 'Preview this frame'}
        </button>
      </div>
      <ErrorMessage error={previewError.value} />
    </section>
  );
}
