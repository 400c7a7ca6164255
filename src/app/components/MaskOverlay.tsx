import { useEffect, useRef, useState } from 'preact/hooks';
import { toDoppelError, type DoppelError } from '../../shared/errors';
import type { FaceMask } from '../../workers/engine/client';
import { readyEngine } from '../state/engine';
import { activeEngine } from '../state/neural';
import { source, target } from '../state/photos';
import { swapSettings } from '../state/settings';
import { swapOptions } from '../state/swap';
import { ErrorMessage } from './ErrorMessage';

/** The tint of the blend weight: magenta, at most this opaque where the swap applies fully. */
const TINT = [230, 0, 160] as const;
const MAX_OPACITY = 0.65;

/** Paints the masks' weights as a tint (alpha = weight) on a transparent canvas of the photo's size. */
function paint(canvas: HTMLCanvasElement, masks: readonly FaceMask[]): void {
  const ctx = canvas.getContext('2d')!;
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  for (const mask of masks) {
    if (mask.width === 0 || mask.height === 0) continue;
    // Where faces overlap, the stronger weight shows.
    const image = ctx.getImageData(mask.x, mask.y, mask.width, mask.height);
    for (let i = 0; i < mask.weight.length; i++) {
      const alpha = Math.round(mask.weight[i]! * MAX_OPACITY);
      if (alpha <= image.data[i * 4 + 3]!) continue;
      image.data.set([...TINT, alpha], i * 4);
    }
    ctx.putImageData(image, mask.x, mask.y);
  }
}

/**
 * "Show mask": the built-in engine's blend weight over the target photo, for the chosen faces: tinted
 * where the swap applies, clear in what stays the target's (eyes, mouth, hair and objects in front,
 * hands) and outside the faces. Read from the engine again when the photos, faces or options change.
 */
export function MaskOverlay() {
  const [shown, setShown] = useState(false);
  const [error, setError] = useState<DoppelError | null>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const to = target.photo.value;
  const from = source.photo.value;
  const sourceFace = source.selected.value[0];
  const targetFaces = target.selected.value;
  const settings = swapSettings.value;
  const usable =
    activeEngine.value === 'builtin' &&
    to !== null &&
    to.frames <= 1 &&
    from !== null &&
    sourceFace !== undefined;
  useEffect(() => {
    if (!shown || !usable || targetFaces.length === 0) return;
    let current = true;
    setError(null);
    void readyEngine()
      .then((engine) =>
        engine.blendMask({ ...swapOptions(from.imageId, sourceFace), targetId: to.imageId, targetFaces }),
      )
      .then(
        (masks) => {
          if (!current || !canvas.current) return;
          paint(canvas.current, masks);
          canvas.current.dataset.painted = to.imageId;
        },
        (failure: unknown) => {
          if (current) setError(toDoppelError(failure));
        },
      );
    return () => {
      current = false;
    };
  }, [shown, usable, to, from, sourceFace, targetFaces, settings]);
  if (!usable) return null;
  return (
    <div class="mask-view">
      <label>
        <input
          type="checkbox"
          checked={shown}
          onChange={(event) => setShown(event.currentTarget.checked)}
          data-testid="show-mask"
        />
        Show mask
      </label>
      {shown && (
        <figure class="mask-figure">
          <img src={to.url} alt="Target photo with the swap's mask over it" />
          <canvas
            ref={canvas}
            width={to.width}
            height={to.height}
            data-testid="mask-overlay"
            aria-hidden="true"
          />
          <figcaption class="hint">
            Tinted: where the swap applies. Clear: what stays as it is (eyes, mouth, what covers the face,
            hands{targetFaces.length === 0 ? '; choose a face first' : ''}).
          </figcaption>
        </figure>
      )}
      <ErrorMessage error={error} />
    </div>
  );
}
