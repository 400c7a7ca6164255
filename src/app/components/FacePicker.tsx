import { DoppelError } from '../../shared/errors';
import { toggleFace, type PhotoSlot } from '../state/photos';
import { ErrorMessage } from './ErrorMessage';
import { FaceThumb } from './FaceThumb';

const noFace = new DoppelError('NO_FACE_FOUND');

interface Props {
  slot: PhotoSlot;
}

/** The faces found in a slot's photo: pick one (source) or any number (target). */
export function FacePicker({ slot }: Props) {
  const photo = slot.photo.value;
  if (!photo) return null;
  if (photo.faces.length === 0) return <ErrorMessage error={noFace} />;
  const selected = slot.selected.value;
  const hint = slot.multiple ? 'Choose the faces to replace' : 'Choose the face to use';
  return (
    <div class="face-picker">
      <p class="hint" id={`${slot.name}-faces-hint`}>
        {hint} ({selected.length} of {photo.faces.length} chosen)
      </p>
      <ul
        class="faces"
        aria-label={`Faces in the ${slot.name} photo`}
        aria-describedby={`${slot.name}-faces-hint`}
        data-testid={`${slot.name}-faces`}
      >
        {photo.faces.map((face) => (
          <li key={`${photo.imageId}-${face.index}`}>
            <FaceThumb
              bitmap={face.thumbnail}
              label={`${slot.label} face ${face.index + 1}`}
              pressed={selected.includes(face.index)}
              onToggle={() => toggleFace(slot, face.index)}
            />
          </li>
        ))}
      </ul>
    </div>
  );
}
