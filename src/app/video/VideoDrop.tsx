import { useFileDrop } from '../components/use-file-drop';
import { openVideo, opening, video } from './video-input';

/** Where a video is dropped or picked (click, Enter or Space opens the file picker). */
export function VideoDrop() {
  const { input, dragging, zone, onInputChange } = useFileDrop((file) => void openVideo(file));
  const opened = video.value;
  return (
    <div class="dropzone-wrap">
      <div
        class={`dropzone video-drop${dragging ? ' dragging' : ''}${opened ? ' filled' : ''}`}
        role="button"
        tabIndex={0}
        aria-label={
          opened
            ? `Video: ${opened.file.name} Open another video…`
            : 'Video: Drop a video here MP4, MOV, WebM or MKV Choose a video…'
        }
        aria-busy={opening.value}
        data-testid="video-zone"
        {...zone}
      >
        <p class="dropzone-empty">
          {opened ? (
            <>
              <span class="dropzone-title">{opened.file.name}</span>{' '}
              <span class="button-like">Open another video…</span>
            </>
          ) : (
            <>
              <span class="dropzone-title">Drop a video here</span> <span>MP4, MOV, WebM or MKV</span>{' '}
              <span class="button-like">Choose a video…</span>
            </>
          )}
        </p>
      </div>
      <input
        ref={input}
        class="visually-hidden"
        type="file"
        accept="video/*,.mp4,.m4v,.mov,.webm,.mkv"
        tabIndex={-1}
        aria-label="Video file"
        data-testid="video-input"
        onChange={onInputChange}
      />
      {opening.value && (
        <p class="hint" role="status">
          Reading the video…
        </p>
      )}
    </div>
  );
}
