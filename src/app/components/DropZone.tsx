import { useRef, useState } from 'preact/hooks';
import { addPhoto, type PhotoSlot } from '../state/photos';
import { ProgressBar } from './ProgressBar';

interface Props {
  slot: PhotoSlot;
  label: string;
}

function firstFile(files: FileList | null | undefined): File | null {
  return files?.[0] ?? null;
}

/** Where a photo is dropped or picked (click, Enter or Space opens the file picker), with its preview. */
export function DropZone({ slot, label }: Props) {
  const input = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const photo = slot.photo.value;
  const shown = slot.pending.value ?? photo;
  const loading = slot.loading.value;

  const take = (file: File | null) => {
    if (file) void addPhoto(slot, file);
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
    take(firstFile(event.dataTransfer?.files));
  };
  const onChange = () => {
    const element = input.current;
    take(firstFile(element?.files));
    if (element) element.value = '';
  };

  return (
    <div class="dropzone-wrap">
      <div
        class={`dropzone${dragging ? ' dragging' : ''}${shown ? ' filled' : ''}`}
        role="button"
        tabIndex={0}
        aria-label={`${label}: drop, paste, or press Enter to choose a photo`}
        aria-busy={loading !== null}
        data-testid={`${slot.name}-zone`}
        onClick={() => input.current?.click()}
        onKeyDown={onKeyDown}
        onDragEnter={onDragOver}
        onDragOver={onDragOver}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
      >
        {shown ? (
          <img
            class={`preview${shown === photo ? '' : ' pending'}`}
            src={shown.url}
            alt={`${label}: ${shown.name}`}
            data-testid={`${slot.name}-preview`}
          />
        ) : (
          <p class="dropzone-empty">
            <span class="dropzone-title">Drop a photo here</span>
            <span>or paste it (Ctrl+V), or</span>
            <span class="button-like">Choose a photo…</span>
          </p>
        )}
        {photo && !loading && <span class="replace-hint">Replace photo</span>}
      </div>
      <input
        ref={input}
        class="visually-hidden"
        type="file"
        accept="image/*"
        tabIndex={-1}
        aria-label={`${label} file`}
        data-testid={`${slot.name}-input`}
        onChange={onChange}
      />
      {loading && <ProgressBar progress={loading} label={`${label} analysis progress`} />}
    </div>
  );
}
