import { useRef, useState } from 'preact/hooks';

/**
 * A drop zone's behaviour: a file dropped on it, or picked with the hidden file input that a click,
 * Enter or Space opens, goes to `take`; `dragging` is true while a file hovers over the zone.
 */
export function useFileDrop(take: (file: File) => void) {
  const input = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const give = (files: FileList | null | undefined) => {
    const file = files?.[0];
    if (file) take(file);
  };
  const onDragOver = (event: DragEvent) => {
    event.preventDefault();
    if (event.dataTransfer) event.dataTransfer.dropEffect = 'copy';
    setDragging(true);
  };
  return {
    input,
    dragging,
    /** Spread on the zone element. */
    zone: {
      onClick: () => input.current?.click(),
      onKeyDown: (event: KeyboardEvent) => {
        if (event.key !== 'Enter' && event.key !== ' ') return;
        event.preventDefault();
        input.current?.click();
      },
      onDragEnter: onDragOver,
      onDragOver,
      onDragLeave: () => setDragging(false),
      onDrop: (event: DragEvent) => {
        event.preventDefault();
        setDragging(false);
        give(event.dataTransfer?.files);
      },
    },
    /** The hidden input's change handler: takes its file and clears it, so the same file can be picked again. */
    onInputChange: () => {
      const element = input.current;
      give(element?.files);
      if (element) element.value = '';
    },
  };
}
