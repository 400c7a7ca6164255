import { useEffect, useRef } from 'preact/hooks';

interface Props {
  bitmap: ImageBitmap;
  label: string;
  pressed: boolean;
  onToggle: () => void;
}

/** One detected face as a toggle button showing its thumbnail. */
export function FaceThumb({ bitmap, label, pressed, onToggle }: Props) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const element = canvas.current;
    if (!element) return;
    element.width = bitmap.width;
    element.height = bitmap.height;
    element.getContext('2d')?.drawImage(bitmap, 0, 0);
  }, [bitmap]);
  return (
    <button
      type="button"
      class="face-thumb"
      aria-pressed={pressed}
      aria-label={label}
      onClick={onToggle}
      data-testid="face-thumb"
    >
      <canvas ref={canvas} aria-hidden="true" />
    </button>
  );
}
