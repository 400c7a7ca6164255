import { signal } from '@preact/signals';
import { DoppelError, toDoppelError } from '../../shared/errors';
import { readyEngine } from '../state/engine';
import { onPhotoReplaced, source } from '../state/photos';
import { swapOptions } from '../state/swap';
import { chosenFaces, frame, onFrameReplaced } from './video-input';
import { videoMapping } from './video-job';

/** The chosen frame swapped alone, to judge the result before the whole run. */
export interface FramePreview {
  before: ImageBitmap;
  after: ImageBitmap;
}

export const framePreview = signal<FramePreview | null>(null);
export const previewing = signal(false);
export const previewError = signal<DoppelError | null>(null);

function dropPreview(): void {
  framePreview.value?.after.close();
  framePreview.value = null;
}

onFrameReplaced(dropPreview);
onPhotoReplaced(dropPreview);

/** Swaps the chosen faces of the trim-start frame with the Swap screen's source face and settings. */
export async function previewFrame(): Promise<void> {
  const shown = frame.value;
  const from = source.photo.value;
  const sourceFace = source.selected.value[0];
  if (!shown || previewing.value) return;
  previewError.value = null;
  previewing.value = true;
  try {
    if (!from || sourceFace === undefined)
      throw new DoppelError('IMAGE_NOT_LOADED', 'Choose a source photo on the Swap screen first.');
    const mapping = videoMapping.value;
    if (mapping === null)
      throw new DoppelError(
        'NO_FACE_SELECTED',
        'Choose the reference face, or map a source face, under "Which faces".',
      );
    if (!mapping && chosenFaces.value.length === 0)
      throw new DoppelError('NO_FACE_SELECTED', 'Choose at least one face in this frame.');
    const engine = await readyEngine();
    const swapped = await engine.swap({
      ...swapOptions(from.imageId, sourceFace),
      mapping,
      targetId: shown.imageId,
      targetFaces: chosenFaces.value,
    });
    void engine.release(swapped.resultId);
    if (frame.value !== shown) {
      swapped.bitmap.close();
      return;
    }
    dropPreview();
    framePreview.value = { before: shown.image, after: swapped.bitmap };
  } catch (error) {
    previewError.value = toDoppelError(error);
  } finally {
    previewing.value = false;
  }
}
