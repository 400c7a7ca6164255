import { useRef, useState } from 'preact/hooks';
import { openVideo, opening, video } from './video-input';

/** Where a video is dropped or picked (click, Enter or Space opens the file picker). */
export function VideoDrop() {
  const input = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const opened = video.value;
  const take = (file: File | null | undefined) => {
    if (file) void openVideo(file);
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Enter' && event.key !== ' ') return;
    event.preventDefault();
    input.current?.click();
  };
  const onDragOver = (event: DragEvent) => {
    event.preventDefault();
    if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
    setDragging(true);
  };
  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    take(event.dataTransfer?.files[0]);
  };
  const onChange = () => {
    const element = input.current;
    take(element?.files?.[0]);
    if (element) element.value = '';
  };
  return (
    <div class="dropzone-wrap">
      <div
        class={`dropzone video-drop${dragging ? ' dragging' : ''}${opened ? ' filled' : ''}`}
        role="button"
        tabIndex={0}
        aria-label="Video: drop, or press Enter to choose an MP4, MOV, WebM or MKV file"
        aria-busy={opening.value}
        data-testid="video-zone"
        onClick={() => input.current?.click()}
        onKeyDown={onKeyDown}
        onDragEnter={onDragOver}
        onDragOver={onDragOver}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        <p class="dropzone-empty">
          {opened ? (
            <>
              <span class="dropzone-title">{opened.file.name}</span>
              <span class="button-like">Open another video…</span>
            </>
          ) : (
            <>
              <span class="dropzone-title">Drop a video here</span>
              <span>MP4, MOV, WebM or MKV</span>
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
        onChange={onChange}
      />
      {opening.value && (
        <p class="hint" role="status">
          Reading the video…
        </p>
      )}
    </div>
  );
}
