import type { ComponentChildren } from 'preact';
import type { PhotoSlot } from '../state/photos';
import { DropZone } from './DropZone';
import { ErrorMessage } from './ErrorMessage';
import { FacePicker } from './FacePicker';

interface Props {
  slot: PhotoSlot;
  title: string;
  /** What this photo is for, in one line. */
  purpose: string;
  /** Shown under the faces (the source's extra photos). */
  children?: ComponentChildren;
}

/** One input photo: its drop zone, what went wrong with it, whether it is animated, and its faces. */
export function PhotoPanel({ slot, title, purpose, children }: Props) {
  const headingId = `${slot.name}-heading`;
  const frames = slot.photo.value?.frames ?? 1;
  return (
    <section
      class="panel"
      aria-labelledby={headingId}
      data-slot={slot.name}
      data-testid={`${slot.name}-panel`}
    >
      <h2 id={headingId}>{title}</h2>
      <p class="hint">{purpose}</p>
      <DropZone slot={slot} label={title} />
      <ErrorMessage error={slot.error.value} />
      {slot.multiple && frames > 1 && (
        <p class="hint" data-testid={`${slot.name}-animated`}>
          Animated GIF, {frames} frames: choose faces in the first frame; they are followed through the
          others.
        </p>
      )}
      <FacePicker slot={slot} />
      {children}
    </section>
  );
}
