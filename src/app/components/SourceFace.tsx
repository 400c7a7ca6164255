import { source } from '../state/photos';
import { BitmapCanvas } from './BitmapCanvas';

/**
 * The source face chosen on the Swap screen, for the Video and Live screens (one source for all
 * three), with a link back to change it.
 */
export function SourceFace() {
  const photo = source.photo.value;
  const face = photo?.faces[source.selected.value[0] ?? -1];
  return (
    <section class="source-face" aria-label="Source face" data-testid="source-face">
      {face ? (
        <>
          <BitmapCanvas bitmap={face.thumbnail} />
          <p>
            The face from <strong>{photo?.name}</strong>. <a href="#/swap">Change it on the Swap screen</a>
          </p>
        </>
      ) : (
        <p>
          No source face yet. <a href="#/swap">Choose a source photo on the Swap screen</a>, then come back.
        </p>
      )}
    </section>
  );
}
