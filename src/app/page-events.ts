import { consented } from './state/consent';
import { addPhoto, pasteSlot, slots, type PhotoSlot } from './state/photos';

function isSlotName(value: string | undefined): value is keyof typeof slots {
  return value === 'source' || value === 'target';
}

/** The slot whose panel holds the focus, else the source while it is empty, else the target. */
function slotFor(active: Element | null): PhotoSlot {
  const name = active?.closest<HTMLElement>('[data-slot]')?.dataset.slot;
  return isSlotName(name) ? slots[name] : pasteSlot();
}

function onPaste(event: ClipboardEvent): void {
  const file = event.clipboardData?.files[0];
  if (!file || !consented.value) return;
  event.preventDefault();
  void addPhoto(slotFor(document.activeElement), file);
}

/** A file dropped outside the zones would make the browser navigate away from the app. */
function onStrayDrop(event: DragEvent): void {
  event.preventDefault();
}

/** Ctrl+V anywhere adds a photo and stray drops are ignored; returns the function that removes the listeners. */
export function listenForPageEvents(): () => void {
  window.addEventListener('paste', onPaste);
  window.addEventListener('dragover', onStrayDrop);
  window.addEventListener('drop', onStrayDrop);
  return () => {
    window.removeEventListener('paste', onPaste);
    window.removeEventListener('dragover', onStrayDrop);
    window.removeEventListener('drop', onStrayDrop);
  };
}
