import { useRef } from 'preact/hooks';
import { addPhoto, type PhotoSlot } from '../state/photos';
import { FaceBoxes } from './FaceBoxes';
import { ProgressBar } from './ProgressBar';
import { useFileDrop } from './use-file-drop';

interface Props {
  slot: PhotoSlot;
  label: string;
}

/** Where a photo is dropped or picked (click, Enter or Space opens the file picker), with its preview. */
export function DropZone({ slot, label }: Props) {
  const { input, dragging, zone, onInputChange } = useFileDrop((file) => void addPhoto(slot, file));
  const photo = slot.photo.value;
  const shown = slot.pending.value ?? photo;
  const loading = slot.loading.value;
  const image = useRef<HTMLImageElement>(null);
  // Numbered boxes where there is a choice: every target face; a source photo's faces when it has several.
  const boxed = photo && shown === photo && photo.faces.length > (slot.multiple ? 0 : 1);

  return (
    <div class="dropzone-wrap">
      <div
        class={`dropzone${dragging ? ' dragging' : ''}${shown ? ' filled' : ''}`}
        role="button"
        tabIndex={0}
        aria-label={
          shown
            ? `${label}: ${shown.name}.${photo && !loading ? ' Replace photo' : ''}`
            : `${label}: Drop a photo here or paste it (Ctrl+V), or Choose a photo…`
        }
        aria-busy={loading !== null}
        data-testid={`${slot.name}-zone`}
        {...zone}
      >
        {shown ? (
          <img
            ref={image}
            class={`preview${shown === photo ? '' : ' pending'}`}
            src={shown.url}
            alt={`${label}: ${shown.name}`}
            data-testid={`${slot.name}-preview`}
          />
        ) : (
          <p class="dropzone-empty">
            <span class="dropzone-title">Drop a photo here</span> <span>or paste it (Ctrl+V), or</span>{' '}
            <span class="button-like">Choose a photo…</span>
          </p>
        )}
        {photo && !loading && <span class="replace-hint">Replace photo</span>}
      </div>
      {boxed && <FaceBoxes slot={slot} photo={photo} image={image} />}
      <input
        ref={input}
        class="visually-hidden"
        type="file"
        accept="image/*"
        tabIndex={-1}
        aria-label={`${label} file`}
        data-testid={`${slot.name}-input`}
        onChange={onInputChange}
      />
      {loading && <ProgressBar progress={loading} label={`${label} analysis progress`} />}
    </div>
  );
}
