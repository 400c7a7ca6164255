import type { RefObject } from 'preact';
import { useLayoutEffect, useState } from 'preact/hooks';
import { toggleFace, type Photo, type PhotoSlot } from '../state/photos';

interface Props {
  slot: PhotoSlot;
  photo: Photo;
  /** The shown photo: the boxes are laid over the area it is drawn in. */
  image: RefObject<HTMLImageElement>;
}

/**
 * Where the image is drawn inside its parent's parent (the zone's wrapper), in percent of the
 * wrapper: while a resize is being measured again, the boxes stay inside it.
 */
function drawnArea(image: HTMLImageElement): { left: number; top: number; width: number; height: number } {
  const wrap = image.parentElement!.parentElement!.getBoundingClientRect();
  const box = image.getBoundingClientRect();
  const x = (value: number) => (100 * value) / wrap.width;
  const y = (value: number) => (100 * value) / wrap.height;
  return {
    left: x(box.left - wrap.left),
    top: y(box.top - wrap.top),
    width: x(box.width),
    height: y(box.height),
  };
}

/**
 * Numbered boxes on the photo, one per face, as toggle buttons in step with the thumbnails (the
 * same number, the same chosen state): a click, Enter or Space toggles the face (target) or picks
 * it (source).
 */
export function FaceBoxes({ slot, photo, image }: Props) {
  const [area, setArea] = useState<ReturnType<typeof drawnArea> | null>(null);
  useLayoutEffect(() => {
    const element = image.current;
    if (!element) return;
    const measure = () => setArea(element.naturalWidth > 0 ? drawnArea(element) : null);
    const observer = new ResizeObserver(measure);
    observer.observe(element);
    observer.observe(element.parentElement!.parentElement!);
    element.addEventListener('load', measure);
    measure();
    return () => {
      observer.disconnect();
      element.removeEventListener('load', measure);
    };
  }, [image, photo]);
  if (!area) return null;
  const selected = slot.selected.value;
  return (
    <div
      class="face-boxes"
      style={{
        left: `${area.left}%`,
        top: `${area.top}%`,
        width: `${area.width}%`,
        height: `${area.height}%`,
      }}
      role="group"
      aria-label={`Faces on the ${slot.label.toLowerCase()} photo`}
      data-testid={`${slot.name}-boxes`}
    >
      {photo.faces.map((face) => {
        const [x, y, w, h] = face.box;
        return (
          <button
            key={`${photo.imageId}-${face.index}`}
            type="button"
            class="face-box"
            style={{
              left: `${(100 * x) / photo.width}%`,
              top: `${(100 * y) / photo.height}%`,
              width: `${(100 * w) / photo.width}%`,
              height: `${(100 * h) / photo.height}%`,
            }}
            aria-pressed={selected.includes(face.index)}
            aria-label={`${slot.label} face ${face.index + 1}`}
            onClick={() => toggleFace(slot, face.index)}
            data-testid="face-box"
            data-face={face.index}
          >
            <span aria-hidden="true">{face.index + 1}</span>
          </button>
        );
      })}
    </div>
  );
}
