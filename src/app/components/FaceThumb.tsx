import { BitmapCanvas } from './BitmapCanvas';

interface Props {
  bitmap: ImageBitmap;
  label: string;
  pressed: boolean;
  onToggle: () => void;
}

/** One detected face as a toggle button showing its thumbnail. */
export function FaceThumb({ bitmap, label, pressed, onToggle }: Props) {
  return (
    <button
      type="button"
      class="face-thumb"
      aria-pressed={pressed}
      aria-label={label}
      onClick={onToggle}
      data-testid="face-thumb"
    >
      <BitmapCanvas bitmap={bitmap} />
    </button>
  );
}
