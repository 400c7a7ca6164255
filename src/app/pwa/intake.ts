import { consented } from '../state/consent';
import { addPhoto, target } from '../state/photos';
import { openVideo } from '../video/video-input';
import { when } from './when';

/**
 * Takes a file the OS handed to the app (opened with Doppel, or shared to it), once the user has
 * confirmed the consent dialog: a video opens on the Video screen, anything else becomes the target
 * photo.
 */
export function addTargetWhenConsented(file: File): void {
  when(
    () => consented.value,
    () => {
      if (file.type.startsWith('video/')) {
        location.hash = '#/video';
        void openVideo(file);
      } else void addPhoto(target, file);
    },
  );
}
