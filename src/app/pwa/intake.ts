import { consented } from '../state/consent';
import { addPhoto, target } from '../state/photos';
import { when } from './when';

/**
 * Adds a file the OS handed to the app (opened with Doppel, or shared to it) as the target photo,
 * once the user has confirmed the consent dialog.
 */
export function addTargetWhenConsented(file: File): void {
  when(
    () => consented.value,
    () => void addPhoto(target, file),
  );
}
